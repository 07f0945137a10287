// Package postgres is the durable event log of draftroom on PostgreSQL
// (github.com/jackc/pgx/v5): append-only, hash-chained with exactly the
// hashes engine/sqlite computes (engine/chain), with group commit,
// snapshots and embedded migrations. It implements engine.EventLog.
//
// Several processes (server nodes, draftroom import) may append to one
// database at once: every appending transaction first locks the one row
// of log_head, which puts all appends in one order, and then checks each
// append's expected stream head against the streams table inside that
// transaction, so a node that lost a room without knowing it cannot
// commit (the stream sequence is the fencing token). Append returns only
// after COMMIT, which with synchronous_commit = on (PostgreSQL's default)
// means the WAL is flushed on the server.
package postgres

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/draftroom/draftroom/engine"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// IsURL reports whether s names a PostgreSQL database rather than a
// SQLite file: it starts with postgres:// or postgresql://.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// parseURL parses a connection URL and returns the pool configuration
// and the name messages use for the database: the URL without its
// password or parameters.
func parseURL(url string) (*pgxpool.Config, string, error) {
	if !IsURL(url) {
		return nil, url, engine.Errorf(engine.EINVALID, "%q is not a PostgreSQL URL: write postgres://USER@HOST:PORT/DATABASE", url)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, Redact(url), engine.Errorf(engine.EINVALID, "%s is not a PostgreSQL URL draftroom can use: %v", Redact(url), err)
	}
	cc := cfg.ConnConfig
	name := fmt.Sprintf("postgres://%s@%s/%s", cc.User, net.JoinHostPort(cc.Host, fmt.Sprint(cc.Port)), cc.Database)
	if sp := cc.RuntimeParams["search_path"]; sp != "" {
		name += "?search_path=" + sp
	}
	return cfg, name, nil
}

// Redact drops the password from a PostgreSQL URL given by a person, for
// messages and logs.
func Redact(url string) string {
	at := strings.LastIndexByte(url, '@')
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return url[:scheme+3] + user + ":***" + url[at:]
	}
	return url
}

// pgError turns an error from PostgreSQL or the connection to it, met
// while doing what, into one whose message says what happened in words
// and whether anything was stored; the original error stays in the
// chain (%w) for logs. nil stays nil.
func pgError(name, what string, err error) error {
	if err == nil {
		return nil
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		return err
	}
	var e *engine.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		switch {
		case pe.Code == "53100":
			e = engine.Errorf(engine.EINTERNAL, "the disk of the PostgreSQL server holding %s is full: nothing was stored; free space and try again", name)
		case pe.Code == "25006":
			e = engine.Errorf(engine.EINTERNAL, "%s is read-only (a standby, or default_transaction_read_only): nothing was stored; point draftroom at the primary", name)
		case pe.Code == "3D000":
			e = engine.Errorf(engine.EINVALID, "the PostgreSQL database of %s does not exist: create it (createdb) first", name)
		case strings.HasPrefix(pe.Code, "28"):
			e = engine.Errorf(engine.EINVALID, "PostgreSQL refused to log in to %s: %s", name, pe.Message)
		case pe.Code == "42501":
			e = engine.Errorf(engine.EINTERNAL, "PostgreSQL refused %s to the user of %s: %s; grant it", what, name, pe.Message)
		case pe.Code == "57014":
			e = engine.Errorf(engine.EINTERNAL, "%s in %s took too long and was cancelled: nothing was stored", what, name)
		case strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "08"):
			e = engine.Errorf(engine.EINTERNAL, "the PostgreSQL server of %s went away (%s) while draftroom was trying to %s; try again once it is back", name, pe.Message, what)
		case pe.Code == "XX001" || pe.Code == "XX002":
			e = engine.Errorf(engine.EINTERNAL, "the database %s is damaged (%s); restore it from a backup", name, pe.Message)
		}
	case pgconn.Timeout(err):
		e = engine.Errorf(engine.EINTERNAL, "%s in %s took too long and was given up: nothing was acknowledged", what, name)
	case isConnError(err):
		e = engine.Errorf(engine.EINTERNAL, "cannot reach the PostgreSQL server of %s: nothing was stored; check that it runs and that this machine may connect to it", name)
	}
	if e != nil {
		return fmt.Errorf("%w [%s: %w]", e, what, err)
	}
	return fmt.Errorf("%s in %s: %w", what, name, err)
}

// isConnError reports whether err is about the connection rather than a
// statement: refused, reset, closed.
func isConnError(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err)
}

// pgCode returns the SQLSTATE of err, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
