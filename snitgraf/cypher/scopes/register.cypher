// Record a graph of a scope before the first of its nodes is written (committed at once, so a
// killed push leaves a record the next push finds and deletes).
// param: graph (text) the graph's id, the `scope` value its nodes carry
// param: name (text) the scope
// param: live (boolean) whether readers see it (true only for a scope's legacy graph)
CREATE (:SnitgrafGraph {graph: $graph, name: $name, live: $live, created: datetime()})
