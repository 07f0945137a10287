-- The event log: one row per event, in global order (seq), hash-chained.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    stream     TEXT    NOT NULL,
    stream_seq INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    at         TEXT    NOT NULL, -- RFC 3339 with nanoseconds, UTC
    actor      TEXT    NOT NULL, -- JSON
    data       BLOB    NOT NULL, -- JSON payload
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    UNIQUE (stream, stream_seq)
);

-- The last StreamSeq of every stream.
CREATE TABLE streams (
    stream TEXT PRIMARY KEY,
    head   INTEGER NOT NULL
);

-- Encoded states of streams so that loading does not replay everything.
CREATE TABLE snapshots (
    stream     TEXT    NOT NULL,
    stream_seq INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    PRIMARY KEY (stream, stream_seq)
);
