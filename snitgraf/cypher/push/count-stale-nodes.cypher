// How many nodes of one label the old graph has that the new portfolio no longer has.
// For the push's summary line ("removed N stale nodes"); read before the swap.
// Template: {{label}} a label of snitgraf.schema.
// param: ids (text) the ids of this label in the new portfolio (a list)
// columns: stale
MATCH (n:{{label}} {scope: $scope})
WHERE NOT n.id IN $ids
RETURN count(n) AS stale
