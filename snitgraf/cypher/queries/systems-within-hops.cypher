// All systems within N hops of a system.
// Two systems are one hop apart when they meet at an interface: one provides it and the other
// uses it, or both use it. A change to the system may reach every system listed.
// param: system (text) the id of the system to start from
// param: hops (integer, default 2) how many hops away at most
// columns: system, name, hops
MATCH (s:System {scope: $scope, id: $system})
MATCH (o:System {scope: $scope})
WHERE o <> s
MATCH p = shortestPath((s)-[:PROVIDES|USES*..64]-(o))
WITH o, length(p) / 2 AS hops
WHERE hops <= $hops
RETURN o.id AS system, o.name AS name, hops
ORDER BY hops, system
