// Interfaces a monopoly system must use whose contracts expire before its replacement goes live.
// The gap KOMBIT has to bridge: the old system still needs the interface, but its contract
// ends before the new system takes over. A contract expires before the go-live when its
// expiry's last possible day (2016 = 31 December 2016) is earlier than the go-live's first
// possible day (2017-06 = 1 June 2017); unknown dates never match (see unknown-expiry).
// columns: system, system_name, interface, interface_name, contract, supplier, expires, replacement, replacement_name, go_live
MATCH (m:System {scope: $scope})-[u:USES]->(i:Interface)<-[:COVERS]-(c:Contract)
MATCH (r:System)-[:REPLACES]->(m)
WHERE m.monopoly = true AND u.need = 'must'
  AND c.expires IS NOT NULL AND r.go_live IS NOT NULL
WITH DISTINCT m, i, c, r, date(c.expires) AS expiry, size(c.expires) AS precision
WITH m, i, c, r,
     CASE precision
       WHEN 4 THEN expiry + duration({years: 1})
       WHEN 7 THEN expiry + duration({months: 1})
       ELSE expiry + duration({days: 1})
     END AS day_after_expiry
WHERE day_after_expiry <= date(r.go_live)
RETURN m.id AS system, m.name AS system_name, i.id AS interface, i.name AS interface_name,
       c.id AS contract, c.supplier AS supplier, c.expires AS expires,
       r.id AS replacement, r.name AS replacement_name, r.go_live AS go_live
ORDER BY system, interface, contract, replacement
