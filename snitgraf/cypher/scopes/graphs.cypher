// Every graph record of a scope: its live graph and those a killed push left (staged or old).
// param: name (text) the scope
// columns: graph, live
MATCH (g:SnitgrafGraph {name: $name})
RETURN g.graph AS graph, g.live AS live
ORDER BY graph
