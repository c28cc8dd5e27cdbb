// Suppliers that are the single source of data a monopoly system must have.
// For every data key some monopoly system must use (need = must), the suppliers of the systems
// that provide an interface carrying it; listed when there is exactly one (S = 1: KOMBIT's
// 98'-potentiale, where one supplier can set the price). Looks at the whole scope, every
// lifecycle.
// columns: supplier, supplier_name, data, interfaces, must_users
MATCH (m:System {scope: $scope})-[u:USES]->(:Interface)-[:CARRIES]->(d:Data)
WHERE m.monopoly = true AND u.need = 'must'
WITH d, m
ORDER BY m.id
WITH d, collect(DISTINCT m.id) AS must_users
MATCH (sup:Supplier)-[:SUPPLIES]->(:System)-[:PROVIDES]->(i:Interface)-[:CARRIES]->(d)
WITH d, must_users, sup, i
ORDER BY i.id
WITH d, must_users, collect(DISTINCT sup) AS suppliers, collect(DISTINCT i.id) AS interfaces
WHERE size(suppliers) = 1
RETURN suppliers[0].id AS supplier, suppliers[0].name AS supplier_name, d.id AS data,
       interfaces, must_users
ORDER BY supplier, data
