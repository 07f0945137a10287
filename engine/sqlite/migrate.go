package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// migrationFiles holds the schema, one numbered file per change:
// migrations/NNNN_what.sql. A file is never edited once released; a
// change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered SQL file (chain.Migration).
type migration = chain.Migration

// migrations returns the embedded migrations in order; a test holds them
// to run 1, 2, 3… without gaps or duplicates.
func migrations() ([]migration, error) { return chain.ReadMigrations(migrationFiles) }

// SchemaVersion is the newest schema version this build of draftroom
// knows: the number of its last migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// dbInfo is what inspect learns of an existing SQLite file.
type dbInfo struct {
	appID   int  // PRAGMA application_id
	objects int  // tables, indexes, views and triggers in the schema
	version int  // newest recorded migration, 0 when none
	events  bool // the events table exists
}

// queryer is what inspect needs: a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inspect reads the header and schema of the SQLite database behind db
// without changing anything.
func inspect(ctx context.Context, db queryer) (dbInfo, error) {
	var in dbInfo
	if err := db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&in.appID); err != nil {
		return in, err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&in.objects); err != nil {
		return in, err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil {
		return in, err
	}
	if n > 0 {
		if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&in.version); err != nil {
			return in, err
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'events'`).Scan(&n); err != nil {
		return in, err
	}
	in.events = n > 0
	return in, nil
}

// fresh reports whether the file holds no schema at all and can become a
// draftroom database.
func (in dbInfo) fresh() bool { return in.appID == 0 && in.objects == 0 }

// check refuses a database that is not draftroom's or is newer than this
// build. path names the file in the messages.
func (in dbInfo) check(path string) error {
	if in.fresh() {
		return nil
	}
	if in.appID != applicationID {
		return engine.Errorf(engine.EINVALID, "%s is not a draftroom database: it is a SQLite database of another application", path)
	}
	if known := SchemaVersion(); in.version > known {
		return engine.Errorf(engine.EINVALID, "%s: database schema version %d is newer than this draftroom (knows up to %d); upgrade draftroom", path, in.version, known)
	}
	return nil
}

// probe opens an existing SQLite file read-only and checks that it is a
// draftroom database this build can open, so that a foreign or newer file
// is refused before the writer connection (whose pragmas switch the file
// to WAL) ever touches it.
func probe(ctx context.Context, path string) (dbInfo, error) {
	db, err := sql.Open("sqlite", dsn(path, modeProbe, 0, 0))
	if err != nil {
		return dbInfo{}, sqlError(path, "open", err)
	}
	defer db.Close()
	in, err := inspect(ctx, db)
	if needsRecovery(err) {
		// A crash left a hot journal (or a WAL without its index) that a
		// read-only connection may not replay. Recover it the way any
		// SQLite open would, then look again.
		db.Close()
		if rerr := recoverFile(ctx, path); rerr != nil {
			return in, rerr
		}
		if db, err = sql.Open("sqlite", dsn(path, modeProbe, 0, 0)); err != nil {
			return dbInfo{}, sqlError(path, "open", err)
		}
		defer db.Close()
		in, err = inspect(ctx, db)
	}
	if err != nil {
		return in, sqlError(path, "read the database header", err)
	}
	return in, in.check(path)
}

// needsRecovery reports whether err is SQLite saying that a read-only
// connection found a crashed writer's journal it is not allowed to roll
// back (SQLITE_READONLY_ROLLBACK) or a WAL whose index it may not rebuild
// (SQLITE_READONLY_RECOVERY).
func needsRecovery(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code()
	return c == sqlite3.SQLITE_READONLY_ROLLBACK || c == sqlite3.SQLITE_READONLY_RECOVERY
}

// recoverFile opens the existing file at path read-write, without creating
// it, and reads its schema: SQLite then rolls back the hot journal a killed
// writer left, or rebuilds the WAL index, restoring the last committed
// state. Nothing committed is changed; what was being written when the
// writer died, and so was never acknowledged, is discarded.
func recoverFile(ctx context.Context, path string) error {
	q := url.Values{}
	q.Add("mode", "rw")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", defaultBusyTimeout.Milliseconds()))
	db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return sqlError(path, "open to recover after a crash", err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&v); err != nil {
		return sqlError(path, "recover after a crash", err)
	}
	return sqlError(path, "close after recovering", db.Close())
}

// migrate marks a fresh database as draftroom's and applies each pending
// migration in its own write transaction, recording it in
// schema_migrations. The version is read again inside each transaction, so
// two processes opening the same new file do not apply a migration twice.
func (l *Log) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return engine.Errorf(engine.EINTERNAL, "this draftroom's migrations are broken: %v", err)
	}
	for _, m := range ms {
		if err := l.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration unless the database already has it.
func (l *Log) apply(ctx context.Context, m migration) error {
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		return sqlError(l.path, "begin migration "+m.Name, err)
	}
	defer func() { _ = tx.Rollback() }()
	in, err := inspect(ctx, tx)
	if err != nil {
		return sqlError(l.path, "read the schema version", err)
	}
	if err := in.check(l.path); err != nil {
		return err
	}
	if in.version >= m.Version {
		return nil
	}
	if in.fresh() {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			return sqlError(l.path, "mark the database as draftroom's", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    applied TEXT NOT NULL -- RFC 3339, UTC
)`); err != nil {
		return sqlError(l.path, "create schema_migrations", err)
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return sqlError(l.path, "apply migration "+m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`, m.Version, m.Name, l.now().UTC().Format(time.RFC3339)); err != nil {
		return sqlError(l.path, "record migration "+m.Name, err)
	}
	return sqlError(l.path, "commit migration "+m.Name, tx.Commit())
}
