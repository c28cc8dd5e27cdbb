// One lock node per scope name: MERGE on it waits while another push holds it.
// The push takes the lock in a transaction it keeps open and rolls back at the end, so the
// node exists only while a push holds it, and the server releases it when the client dies.
CREATE CONSTRAINT snitgraf_lock_name IF NOT EXISTS
FOR (n:SnitgrafLock) REQUIRE n.name IS UNIQUE
