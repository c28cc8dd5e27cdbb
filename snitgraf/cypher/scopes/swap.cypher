// Make the staged graphs live and their scopes' other graphs not, in one small transaction.
// param: swaps (text) a list of {name, graph}: each scope and its new graph
// columns: live
UNWIND $swaps AS swap
MATCH (g:SnitgrafGraph {name: swap.name})
SET g.live = (g.graph = swap.graph)
RETURN sum(CASE WHEN g.live THEN 1 ELSE 0 END) AS live
