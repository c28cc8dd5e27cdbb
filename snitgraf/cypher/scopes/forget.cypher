// Remove a graph's record once its nodes are deleted.
// param: graph (text) the graph's id
MATCH (g:SnitgrafGraph {graph: $graph})
DELETE g
