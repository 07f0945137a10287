-- Where the log tests that it can write again after a failed commit: a
-- probe inserts a row of 64 KiB and deletes it in one transaction, so the
-- table is always empty. See Log.Health.
CREATE TABLE health_probe (
    id  INTEGER PRIMARY KEY,
    pad BLOB NOT NULL
);
