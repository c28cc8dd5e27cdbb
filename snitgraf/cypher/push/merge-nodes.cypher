// Write a batch of nodes of one label into the scope, merging with the nodes it already has.
// Every property, `scope` and `id` included, comes from the row's map (extra columns too,
// whatever their names), so no key is ever written into the statement; `SET n = ...` also
// drops properties whose column was removed since the last push.
// Returns each node's element id, as create-nodes does.
// Template: {{label}} a label of snitgraf.schema.
// param: rows (text) a list of maps, one per node: its properties, scope and id included
// columns: ids
UNWIND $rows AS row
MERGE (n:{{label}} {scope: $scope, id: row.id})
SET n = row
RETURN collect([row.id, elementId(n)]) AS ids
