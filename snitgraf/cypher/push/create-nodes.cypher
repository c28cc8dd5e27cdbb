// Write a batch of nodes of one label into a scope that has none of that label yet.
// The first push of a scope: nothing to merge with, so CREATE (about twice as fast as MERGE);
// the (scope, id) uniqueness constraint still guards against duplicates.
// Every property, `scope` and `id` included, comes from the row (one flat map per node): no
// key is ever written into the statement.
// `+=` rather than `=`: a new node has no properties to remove, and `+=` skips looking.
// Returns each node's element id: the relationships of the same push find their ends by it
// (valid within this one transaction), not by a second lookup in the (scope, id) index.
// Template: {{label}} a label of snitgraf.schema.
// param: rows (text) a list of maps, one per node: its properties, scope and id included
// columns: ids
UNWIND $rows AS row
CREATE (n:{{label}})
SET n += row
RETURN collect([row.id, elementId(n)]) AS ids
