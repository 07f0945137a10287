-- The event log: one row per event, in global order (seq), hash-chained.
-- The columns hold exactly the bytes engine/sqlite stores and hashes
-- (docs/store.md): text for the one-line fields and the actor's JSON,
-- bytea for the payload, so nothing is normalised (jsonb would be).
CREATE TABLE events (
    seq        bigint PRIMARY KEY,
    stream     text   NOT NULL,
    stream_seq bigint NOT NULL,
    type       text   NOT NULL,
    at         text   NOT NULL, -- RFC 3339 with nanoseconds, UTC
    actor      text   NOT NULL, -- JSON
    data       bytea  NOT NULL, -- JSON payload
    prev_hash  text   NOT NULL,
    hash       text   NOT NULL,
    UNIQUE (stream, stream_seq)
);

-- The last stream_seq of every stream, written in the same transaction
-- as its events.
CREATE TABLE streams (
    stream text   PRIMARY KEY,
    head   bigint NOT NULL
);

-- The head of the whole log: one row, locked (FOR UPDATE) by every
-- appending transaction. It is the one point where appends from every
-- node are put in one order.
CREATE TABLE log_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint  NOT NULL,
    hash text    NOT NULL
);
INSERT INTO log_head (id, seq, hash) VALUES (1, 0, '');

-- Encoded states of streams so that loading does not replay everything.
CREATE TABLE snapshots (
    stream     text   NOT NULL,
    stream_seq bigint NOT NULL,
    data       bytea  NOT NULL,
    PRIMARY KEY (stream, stream_seq)
);

-- Where the log tests that it can write again after a failed commit: a
-- probe inserts a row and deletes it in one transaction, so the table is
-- always empty. See Log.Health.
CREATE TABLE health_probe (
    id  integer PRIMARY KEY,
    pad bytea   NOT NULL
);
