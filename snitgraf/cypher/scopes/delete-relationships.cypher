// Delete the relationships from one label's nodes of a graph, in transactions of $rows rows.
// Relationships first, so no single node deletion carries thousands of them.
// An auto-commit statement (CALL ... IN TRANSACTIONS): bounded memory for any graph size.
// Template: {{label}} a label of snitgraf.schema.
// param: scope (text) the graph's id
// param: rows (integer) relationships per transaction
MATCH (:{{label}} {scope: $scope})-[r]->()
CALL { WITH r DELETE r } IN TRANSACTIONS OF $rows ROWS
