// Take the push locks of some scopes, in the order given (sorted: two pushes never deadlock).
// Runs in a transaction the push keeps open until it is done; a second push waits here.
// param: names (text) the scope names, sorted (a list)
// param: holder (text) who holds the lock (a token of the push, for SHOW TRANSACTIONS)
// columns: locked
UNWIND $names AS name
MERGE (l:SnitgrafLock {name: name})
SET l.holder = $holder
RETURN count(l) AS locked
