// The graph a scope's readers see: its live graph's `scope` value.
// A scope pushed by a snitgraf before graph records existed has no record; its nodes carry the
// scope's own name, unless that name is some graph's id (then the scope has no graph: null).
// param: name (text) the scope
// columns: graph, registered
OPTIONAL MATCH (live:SnitgrafGraph {name: $name, live: true})
OPTIONAL MATCH (taken:SnitgrafGraph {graph: $name})
RETURN coalesce(live.graph, CASE WHEN taken IS NULL THEN $name END) AS graph,
       live IS NOT NULL AS registered
