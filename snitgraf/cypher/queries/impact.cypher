// The systems that depend on a system: what breaks, directly or further away, if it goes.
// A system depends on the providers of the interfaces it uses; distance 1 uses an interface
// the system provides, distance 2 uses one a distance-1 system provides, and so on. As in
// `snitgraf impact`, dependencies are those of the state the system lives in: AS-IS when its
// lifecycle is as-is or both, else the derived TO-BE graph ($to_be_scope: the graph of scope
// '<scope>/to-be', written by push). Needs Neo4j 5.21 or newer (ANY SHORTEST over a
// quantified path pattern).
// param: system (text) the id of the system that is replaced or removed
// param: depth (integer, default -1) follow dependencies at most this many hops (-1: unlimited)
// columns: system, name, distance
MATCH (start:System {scope: $scope, id: $system})
WITH coalesce(start.lifecycle, 'both') IN ['as-is', 'both'] AS as_is
MATCH (x:System {scope: CASE WHEN as_is THEN $scope ELSE $to_be_scope END, id: $system})
MATCH p = ANY SHORTEST (x)((:System)-[:PROVIDES]->(:Interface)<-[:USES]-(user:System)
      WHERE NOT as_is OR coalesce(user.lifecycle, 'both') IN ['as-is', 'both']){1,}(u:System)
WHERE u <> x
WITH u, length(p) / 2 AS distance
WHERE $depth < 0 OR distance <= $depth
RETURN u.id AS system, u.name AS name, distance
ORDER BY distance, system
