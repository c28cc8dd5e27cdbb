// Write a batch of relationships of one type between nodes of the scope.
// Template: {{type}}, {{source}}, {{target}} a relationship type of snitgraf.schema and its ends.
// param: rows (text) a list of maps {source, target, props} (source and target are node ids)
UNWIND $rows AS row
MATCH (a:{{source}} {scope: $scope, id: row.source})
MATCH (b:{{target}} {scope: $scope, id: row.target})
CREATE (a)-[r:{{type}}]->(b)
SET r = row.props
