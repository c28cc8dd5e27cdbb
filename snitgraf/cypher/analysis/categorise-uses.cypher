// must(D) and nice(D): per data key and need, the monopoly systems using an interface carrying it.
// Only USES counts: a monopoly system that provides an interface is not a user. Both the user
// and the interface's provider must be in the state ($lifecycles, see categorise-interfaces).
// param: lifecycles (text) null or a list of lifecycles
// Each use says its system's lifecycle and the assumptions of the usage and the system.
// columns: data, need, uses
MATCH (s:System {scope: $scope})-[u:USES]->(i:Interface)-[:CARRIES]->(d:Data)
WHERE s.monopoly = true
  AND ($lifecycles IS NULL OR coalesce(s.lifecycle, 'both') IN $lifecycles)
  AND ($lifecycles IS NULL OR EXISTS {
        MATCH (p:System)-[:PROVIDES]->(i)
        WHERE coalesce(p.lifecycle, 'both') IN $lifecycles })
RETURN d.id AS data, u.need AS need,
       collect(DISTINCT {system: s.id, system_name: s.name, interface: i.id,
                         lifecycle: coalesce(s.lifecycle, 'both'),
                         assumptions: [u.assumptions, s.assumptions]}) AS uses
