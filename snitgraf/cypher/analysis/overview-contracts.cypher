// The contracts covering the interfaces in the state: expiry and annual cost.
// param: lifecycles (text) null or a list of lifecycles (see categorise-interfaces)
// columns: id, interface, supplier, expires, annual_cost_dkk
MATCH (c:Contract {scope: $scope})-[:COVERS]->(i:Interface)
WHERE $lifecycles IS NULL OR EXISTS {
        MATCH (p:System)-[:PROVIDES]->(i)
        WHERE coalesce(p.lifecycle, 'both') IN $lifecycles }
RETURN c.id AS id, i.id AS interface, coalesce(c.supplier, '') AS supplier,
       c.expires AS expires, c.annual_cost_dkk AS annual_cost_dkk
