// Remove every node (and so every relationship) of one label in the scope.
// Template: {{label}} a label of snitgraf.schema.
// columns: removed
MATCH (n:{{label}} {scope: $scope})
DETACH DELETE n
RETURN count(*) AS removed
