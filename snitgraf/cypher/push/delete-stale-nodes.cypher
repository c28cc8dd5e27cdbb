// Remove the nodes of one label in the scope that the new portfolio no longer has.
// Runs inside the push's one transaction, before the new rows are merged.
// Template: {{label}} a label of snitgraf.schema.
// param: ids (text) the ids of this label in the new portfolio (a list)
// columns: removed
MATCH (n:{{label}} {scope: $scope})
WHERE NOT n.id IN $ids
DETACH DELETE n
RETURN count(*) AS removed
