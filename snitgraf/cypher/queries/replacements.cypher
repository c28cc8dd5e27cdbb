// Which system replaces which, and when the replacement goes live (the monopoly break's plan).
// columns: system, system_name, replacement, replacement_name, go_live
MATCH (r:System {scope: $scope})-[:REPLACES]->(m:System)
RETURN m.id AS system, m.name AS system_name, r.id AS replacement, r.name AS replacement_name,
       r.go_live AS go_live
ORDER BY system, replacement
