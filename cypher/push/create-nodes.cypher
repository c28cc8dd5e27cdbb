// Write a batch of nodes of one label into a scope that has none of that label yet.
// The first push of a scope: nothing to merge with, so CREATE (about twice as fast as MERGE);
// the (scope, id) uniqueness constraint still guards against duplicates at commit.
// Every property, `scope` and `id` included, comes from the row's map: no key is ever
// written into the statement.
// Template: {{label}} a label of snitgraf.schema.
// param: rows (text) a list of maps {id, props}
UNWIND $rows AS row
CREATE (n:{{label}})
SET n = row.props
