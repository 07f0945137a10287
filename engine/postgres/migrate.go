package postgres

import (
	"context"
	"embed"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/jackc/pgx/v5"
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

// marker is the comment on schema_migrations that tells draftroom's
// tables from another application's (schema_migrations is a common name).
const marker = "draftroom event log"

// migrateLock is the key of the transaction-level advisory lock every
// migration takes, so that two nodes starting on a new database at once
// apply each migration once.
const migrateLock = 0x44524654_00000001 // "DRFT", 1

// schemaInfo is what inspect learns of the schema draftroom would use.
type schemaInfo struct {
	schema  string // current_schema(), "" when search_path names none that exists
	tables  int    // tables in that schema
	ours    bool   // schema_migrations is there and marked as draftroom's
	version int    // newest recorded migration, 0 when none
	events  bool   // the events table exists
}

// inspect reads what is in the current schema without changing it.
func inspect(ctx context.Context, q pgxQueryer) (schemaInfo, error) {
	var in schemaInfo
	var schema *string
	if err := q.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return in, err
	}
	if schema == nil {
		return in, nil
	}
	in.schema = *schema
	var comment *string
	if err := q.QueryRow(ctx, `SELECT
    (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()),
    obj_description(to_regclass('schema_migrations'), 'pg_class'),
    to_regclass('events') IS NOT NULL`).Scan(&in.tables, &comment, &in.events); err != nil {
		return in, err
	}
	in.ours = comment != nil && *comment == marker
	if in.ours {
		if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&in.version); err != nil {
			return in, err
		}
	}
	return in, nil
}

// check refuses a schema that is not draftroom's or is newer than this
// build. name names the database in the messages.
func (in schemaInfo) check(name string) error {
	switch {
	case in.schema == "":
		return engine.Errorf(engine.EINVALID, "%s: the search_path names no schema that exists; create the schema first", name)
	case in.tables > 0 && !in.ours:
		return engine.Errorf(engine.EINVALID, "%s is not a draftroom database: schema %s holds tables of another application", name, in.schema)
	}
	if known := SchemaVersion(); in.version > known {
		return engine.Errorf(engine.EINVALID, "%s: database schema version %d is newer than this draftroom (knows up to %d); upgrade draftroom", name, in.version, known)
	}
	return nil
}

// migrate applies each pending migration in its own transaction, under
// an advisory lock, recording it in schema_migrations.
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
	tx, err := l.pool.Begin(ctx)
	if err != nil {
		return pgError(l.name, "begin migration "+m.Name, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return pgError(l.name, "lock for migration "+m.Name, err)
	}
	in, err := inspect(ctx, tx)
	if err != nil {
		return pgError(l.name, "read the schema version", err)
	}
	if err := in.check(l.name); err != nil {
		return err
	}
	if in.version >= m.Version {
		return nil
	}
	if !in.ours {
		if _, err := tx.Exec(ctx, `CREATE TABLE schema_migrations (
    version integer PRIMARY KEY,
    name    text    NOT NULL,
    applied text    NOT NULL -- RFC 3339, UTC
)`); err != nil {
			return pgError(l.name, "create schema_migrations", err)
		}
		if _, err := tx.Exec(ctx, `COMMENT ON TABLE schema_migrations IS '`+marker+`'`); err != nil {
			return pgError(l.name, "mark schema_migrations", err)
		}
	}
	if _, err := tx.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
		return pgError(l.name, "apply migration "+m.Name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)`, m.Version, m.Name, l.now().UTC().Format(time.RFC3339)); err != nil {
		return pgError(l.name, "record migration "+m.Name, err)
	}
	return pgError(l.name, "commit migration "+m.Name, tx.Commit(ctx))
}
