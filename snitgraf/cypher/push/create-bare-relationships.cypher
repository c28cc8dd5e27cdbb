// Write a batch of relationships of one type that carry no properties (all but USES, mostly).
// The same as create-relationships without `SET r = props`: setting an empty map still costs
// a property operation per row, about a fifth of these statements' time.
// Template: {{type}}, {{source}}, {{target}} a relationship type of snitgraf.schema and its ends.
// param: sources (text) the element ids of the batch's distinct source nodes (a list)
// param: targets (text) the element ids of the batch's distinct target nodes (a list)
// param: rows (text) a list of [source position, target position]
UNWIND range(0, size($sources) - 1) AS i
OPTIONAL MATCH (a:{{source}}) WHERE elementId(a) = $sources[i]
WITH i, a ORDER BY i
WITH collect([a]) AS sources
UNWIND range(0, size($targets) - 1) AS j
OPTIONAL MATCH (b:{{target}}) WHERE elementId(b) = $targets[j]
WITH sources, j, b ORDER BY j
WITH sources, collect([b]) AS targets
UNWIND $rows AS row
WITH sources[row[0]][0] AS a, targets[row[1]][0] AS b
CREATE (a)-[r:{{type}}]->(b)
