// Contracts whose expiry is unknown (the seed's "??"): they cannot be planned around yet.
// columns: contract, interface, interface_name, supplier, note
MATCH (c:Contract {scope: $scope})-[:COVERS]->(i:Interface)
WHERE c.expires IS NULL
RETURN c.id AS contract, i.id AS interface, i.name AS interface_name, c.supplier AS supplier,
       c.note AS note
ORDER BY contract
