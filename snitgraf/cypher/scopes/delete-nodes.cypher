// Delete one label's nodes of a graph, in transactions of $rows rows (after its relationships).
// Template: {{label}} a label of snitgraf.schema.
// param: scope (text) the graph's id
// param: rows (integer) nodes per transaction
MATCH (n:{{label}} {scope: $scope})
CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS
