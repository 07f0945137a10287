package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate checks the database is draftroom's (or empty), refuses one from
// a newer draftroom, and applies each pending migration in its own
// transaction, recording it in schema_migrations.
func (l *Log) migrate(ctx context.Context) error {
	var appID int
	if err := l.write.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return l.wrap("read the database header", err)
	}
	var tables int
	if err := l.write.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table'`).Scan(&tables); err != nil {
		return l.wrap("list tables", err)
	}
	switch {
	case appID == 0 && tables == 0:
		if _, err := l.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			return l.wrap("mark the database", err)
		}
	case appID != applicationID:
		return engine.Errorf(engine.EINVALID, "%s is not a draftroom database: it is a SQLite database of another application", l.path)
	}
	if _, err := l.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`); err != nil {
		return l.wrap("create schema_migrations", err)
	}
	var current int
	if err := l.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return l.wrap("read the schema version", err)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	if known := SchemaVersion(); current > known {
		return engine.Errorf(engine.EINVALID, "%s has database schema version %d, newer than this draftroom knows (up to %d); upgrade draftroom", l.path, current, known)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if err := l.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (l *Log) apply(ctx context.Context, m migration) error {
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		return l.wrap("begin migration "+m.name, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return l.wrap("apply migration "+m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`, m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return l.wrap("record migration "+m.name, err)
	}
	return l.wrap("commit migration "+m.name, tx.Commit())
}
