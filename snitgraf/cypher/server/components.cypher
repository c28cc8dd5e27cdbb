// Which Neo4j the server is: name, versions and edition (snitgraf needs 5.x or newer).
// columns: name, versions, edition
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions, edition
