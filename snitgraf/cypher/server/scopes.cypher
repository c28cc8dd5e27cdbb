// The scopes (pushed portfolios, TO-BE scopes included) in the database.
// A pushed portfolio always has suppliers (every system has one), and a derived TO-BE graph
// keeps them all, so suppliers and systems name every scope.
// columns: scope
MATCH (n:Supplier)
RETURN n.scope AS scope
UNION
MATCH (n:System)
RETURN n.scope AS scope
