// Every node of a scope: its label and properties, to rebuild the networkx graph from Neo4j.
// Used by the commands that analyse the whole graph in Python (gap, impact, plan, budget,
// render, report, national) when PORTFOLIO is a Neo4j URI.
// columns: label, props
MATCH (n {scope: $scope})
RETURN labels(n)[0] AS label, properties(n) AS props
