// The overview's rows: each monopoly system involved in an interface, by providing or using it.
// param: lifecycles (text) null or a list of lifecycles (see categorise-interfaces)
// columns: system, system_name, interface, type, need
MATCH (s:System {scope: $scope})-[r:PROVIDES|USES]->(i:Interface)
WHERE s.monopoly = true
  AND ($lifecycles IS NULL OR coalesce(s.lifecycle, 'both') IN $lifecycles)
  AND ($lifecycles IS NULL OR EXISTS {
        MATCH (p:System)-[:PROVIDES]->(i)
        WHERE coalesce(p.lifecycle, 'both') IN $lifecycles })
RETURN DISTINCT s.id AS system, s.name AS system_name, i.id AS interface, type(r) AS type,
       r.need AS need
