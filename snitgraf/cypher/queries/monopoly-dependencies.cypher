// What each monopoly system uses: every interface, how much it needs it, who provides it.
// param: system (text, default ) only this monopoly system (blank: every monopoly system)
// columns: system, system_name, interface, interface_name, need, provider, provider_name, supplier
MATCH (m:System {scope: $scope})-[u:USES]->(i:Interface)<-[:PROVIDES]-(p:System)
      <-[:SUPPLIES]-(sup:Supplier)
WHERE m.monopoly = true AND ($system = '' OR m.id = $system)
RETURN DISTINCT m.id AS system, m.name AS system_name, i.id AS interface,
       i.name AS interface_name, u.need AS need, p.id AS provider, p.name AS provider_name,
       sup.id AS supplier
ORDER BY system, interface, need
