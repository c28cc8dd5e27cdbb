// Uniqueness of (scope, id) for one label, created before every push.
// Several portfolios (municipalities, scenarios) live side by side, each under its own scope;
// ids are unique within a label and scope. The constraint also gives the index every
// MERGE and MATCH of the push and the analyses looks nodes up by.
// Template: {{name}} the constraint's name, {{label}} a label of snitgraf.schema.
CREATE CONSTRAINT {{name}} IF NOT EXISTS
FOR (n:{{label}}) REQUIRE (n.scope, n.id) IS UNIQUE
