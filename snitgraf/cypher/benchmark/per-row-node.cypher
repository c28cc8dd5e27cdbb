// The baseline of benchmarks/push.py: one node per statement, as code without batching
// writes it. Not run by snitgraf itself; the benchmark's batched side is snitgraf's own push.
// Template: {{label}} a label of snitgraf.schema.
// param: props (text) the node's properties, scope and id included
CREATE (n:{{label}})
SET n = $props
