// The scopes (pushed portfolios, TO-BE scopes included) in the database.
// A scope with a live graph record, and any scope pushed before graph records existed: a
// pushed portfolio always has suppliers (every system has one), and a derived TO-BE graph
// keeps them all, so suppliers and systems name those (their graphs carry no record).
// columns: scope
MATCH (g:SnitgrafGraph {live: true})
RETURN g.name AS scope
UNION
MATCH (n:Supplier)
WITH DISTINCT n.scope AS scope
WHERE NOT EXISTS { MATCH (:SnitgrafGraph {graph: scope}) }
RETURN scope
UNION
MATCH (n:System)
WITH DISTINCT n.scope AS scope
WHERE NOT EXISTS { MATCH (:SnitgrafGraph {graph: scope}) }
RETURN scope
