// S(D): per data key, the suppliers that can expose it, with the system and interface they use.
// A supplier counts through every system it supplies that provides an interface carrying D.
// param: lifecycles (text) null or a list of lifecycles (see categorise-interfaces)
// Each source says its system's lifecycle, the supplier's assumptions and, in a derived TO-BE,
// the replaced system whose providing role it took over (repointed_from).
// columns: data, sources
MATCH (sup:Supplier)-[:SUPPLIES]->(p:System {scope: $scope})-[pr:PROVIDES]->(i:Interface)
      -[:CARRIES]->(d:Data)
WHERE $lifecycles IS NULL OR coalesce(p.lifecycle, 'both') IN $lifecycles
RETURN d.id AS data,
       collect(DISTINCT {supplier: sup.id, supplier_name: sup.name, system: p.id,
                         system_name: p.name, interface: i.id,
                         lifecycle: coalesce(p.lifecycle, 'both'),
                         assumptions: sup.assumptions,
                         taken_over_from: pr.repointed_from}) AS sources
