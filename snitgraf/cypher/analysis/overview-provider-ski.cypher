// Per interface in the state: the SKI agreement of its provider's supplier (null = none).
// With several providers (see categorise-interfaces) the one with the smallest id counts.
// param: lifecycles (text) null or a list of lifecycles (see categorise-interfaces)
// columns: interface, ski
MATCH (p:System {scope: $scope})-[:PROVIDES]->(i:Interface)
WHERE $lifecycles IS NULL OR coalesce(p.lifecycle, 'both') IN $lifecycles
WITH i, p
ORDER BY p.id
WITH i, collect(p)[0] AS p
OPTIONAL MATCH (sup:Supplier)-[:SUPPLIES]->(p)
RETURN i.id AS interface, sup.ski AS ski
