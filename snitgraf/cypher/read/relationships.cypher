// Every relationship between nodes of a scope: its ends (label and id), type and properties.
// columns: source_label, source, type, props, target_label, target
MATCH (a {scope: $scope})-[r]->(b {scope: $scope})
RETURN labels(a)[0] AS source_label, a.id AS source, type(r) AS type, properties(r) AS props,
       labels(b)[0] AS target_label, b.id AS target
