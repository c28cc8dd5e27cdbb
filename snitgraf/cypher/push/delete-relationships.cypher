// Remove every relationship of one type in the scope; the push creates the new ones after it.
// Runs inside the push's one transaction, so readers see the old or the new graph, never none.
// Template: {{type}}, {{source}}, {{target}} a relationship type of snitgraf.schema and its ends.
// columns: removed
MATCH (:{{source}} {scope: $scope})-[r:{{type}}]->(:{{target}} {scope: $scope})
DELETE r
RETURN count(*) AS removed
