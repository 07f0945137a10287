-- Presence across nodes (Log.PublishPresence, Log.ReadPresence): who is
-- connected to which node in which room, one row per person, node and
-- room. Presence is ephemeral: it is not part of the hash-chained log,
-- the tables are UNLOGGED (not written to the WAL, not replicated, empty
-- after a crash of the PostgreSQL server) and a node's rows are believed
-- only while its heartbeat in presence_nodes is recent (Log.Beat).
CREATE UNLOGGED TABLE presence_nodes (
    node text        PRIMARY KEY, -- the node's address (draftroom serve -node-url)
    seen timestamptz NOT NULL     -- its last heartbeat, by the database's clock
);
CREATE UNLOGGED TABLE presence (
    node   text    NOT NULL, -- the node the person is connected to
    stream text    NOT NULL, -- the room, e.g. doc/progress-report
    person text    NOT NULL,
    state  text    NOT NULL, -- the person's State, '' for none
    role   text    NOT NULL,
    conns  integer NOT NULL, -- the person's connections to the room on that node
    PRIMARY KEY (node, stream, person)
);
CREATE INDEX presence_stream ON presence (stream);
