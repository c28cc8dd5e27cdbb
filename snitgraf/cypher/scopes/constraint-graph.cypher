// One record per graph in the database (a scope's live graph, a staged one, an old one).
// `graph` is the value the graph's nodes carry in their `scope` property.
CREATE CONSTRAINT snitgraf_graph_graph IF NOT EXISTS
FOR (g:SnitgrafGraph) REQUIRE g.graph IS UNIQUE
