// The interfaces of the scope as the categorisation rules see them.
// One row per interface in the state: its data key and its provider (id, name, monopoly).
// State: $lifecycles is null (every system) or the lifecycles a system needs to be in the state
// (AS-IS: ['as-is', 'both']); an interface is in the state when its provider is
// (snitgraf.graph.as_is_graph). An interface has one provider, except in a derived TO-BE graph
// where an old system is replaced by several: then the provider with the smallest id is named
// (every provider still counts in S, see categorise-sources).
// param: lifecycles (text) null or a list of lifecycles
// columns: interface, name, data, provider, provider_name, provider_monopoly, assumptions
MATCH (i:Interface {scope: $scope})-[:CARRIES]->(d:Data)
OPTIONAL MATCH (p:System)-[:PROVIDES]->(i)
WITH i, d, p
WHERE $lifecycles IS NULL OR coalesce(p.lifecycle, 'both') IN $lifecycles
WITH i, d, p
ORDER BY p.id
WITH i, d, collect(p)[0] AS p
RETURN i.id AS interface, i.name AS name, d.id AS data,
       coalesce(p.id, '') AS provider, coalesce(p.name, '') AS provider_name,
       coalesce(p.monopoly, false) AS provider_monopoly, i.assumptions AS assumptions
