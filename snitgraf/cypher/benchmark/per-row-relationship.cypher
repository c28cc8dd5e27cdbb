// The baseline of benchmarks/push.py: one relationship per statement, its ends looked up by
// (scope, id), as code without batching writes it. Not run by snitgraf itself.
// Template: {{type}}, {{source}}, {{target}} a relationship type of snitgraf.schema and its ends.
// param: source (text) the source node's id
// param: target (text) the target node's id
// param: props (text) the relationship's properties
MATCH (a:{{source}} {scope: $scope, id: $source})
MATCH (b:{{target}} {scope: $scope, id: $target})
CREATE (a)-[r:{{type}}]->(b)
SET r = $props
