-- Who holds each lease (Log.TryLeaseAs): the node's address, which other
-- nodes forward a room's commands to, and the server process of the
-- lease's session. A row is believed only while that session still holds
-- an advisory lock (Log.Holders joins pg_locks): a dead holder's row is
-- simply stale and overwritten by the next holder.
CREATE TABLE lease_holders (
    key   bigint  PRIMARY KEY, -- the advisory lock key
    name  text    NOT NULL,    -- the leased name, e.g. doc/progress-report
    node  text    NOT NULL,    -- where the holder takes forwarded commands
    pid   integer NOT NULL,    -- the holder's session (pg_backend_pid)
    since text    NOT NULL     -- RFC 3339, UTC
);
