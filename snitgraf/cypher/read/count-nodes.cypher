// How many nodes of one label a graph holds.
// Template: {{label}} a label of snitgraf.schema.
// columns: nodes
MATCH (n:{{label}} {scope: $scope})
RETURN count(n) AS nodes
