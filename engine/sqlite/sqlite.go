// Package sqlite is the durable event log of draftroom on SQLite
// (modernc.org/sqlite, no cgo): append-only, hash-chained, with group
// commit, snapshots and embedded migrations. It implements
// engine.EventLog.
//
// A Log owns one writer connection, driven by a single committer
// goroutine, and a separate pool of read-only connections. Append returns
// only after the transaction holding its events committed with the WAL
// fsynced, so an acknowledged event survives a crash or a power cut.
package sqlite

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID marks a draftroom database in the SQLite header
// (PRAGMA application_id, the bytes "DRFT"), so that a database of another
// application is recognised and refused before it is touched.
const applicationID = 0x44524654

// defaultBusyTimeout is how long a statement waits for a lock held by
// another connection or process before it fails with "locked".
const defaultBusyTimeout = 5 * time.Second

// connMode says what a connection is for; each mode has its own pragmas.
type connMode int

const (
	modeWrite    connMode = iota // the single writer of a Log
	modeRead                     // the read pool of a Log
	modeReadOnly                 // Verify and Backup: the file is never written
	modeProbe                    // a first look at an unknown file: nothing is written, not even beside it
)

// dsn builds the modernc connection string for path. Every pragma
// draftroom sets is here, in one place:
//
//   - busy_timeout: a statement waits this long for a lock held by another
//     connection (a backup, a second process) instead of failing at once;
//     past it, the caller gets a clear "locked" error.
//   - journal_mode(WAL), writer only: readers never block the writer and
//     the writer never blocks readers, and a commit is one sequential
//     append to the WAL (plus one fsync), which is what makes group commit
//     cheap. The mode is stored in the file; readers inherit it.
//   - synchronous(FULL), writer only: the WAL is fsynced at every commit.
//     With NORMAL a commit could be lost on a power cut after Append
//     returned; draftroom acknowledges only what is on disk.
//   - _txlock=immediate, writer only: BEGIN takes the write lock at once,
//     so a transaction waits (busy_timeout) at its start rather than
//     failing half-way on a lock upgrade.
//   - max_page_count, writer only and only when asked (Options.MaxPageCount):
//     a size cap, which tests use to fill the "disk".
//   - query_only(1), read pool: a reader can never write, whatever SQL it
//     is given.
//   - mode=ro (a SQLite URI parameter), read-only opens: the file is opened
//     read-only at the operating-system level, so Verify, Backup and the
//     check of an unknown file cannot change it. (Not query_only: VACUUM
//     INTO, which writes only the copy, is refused under query_only.)
//   - immutable=1 (a URI parameter), the first look at an unknown file when
//     no WAL file lies beside it: a read-only open of a WAL-mode database
//     would still create its -wal and -shm files, and a file that turns
//     out to be another application's must be left exactly as it was.
//     With a -wal (or a rollback -journal) present, the file is in use or
//     was not closed cleanly, its newest pages may be in that file, and a
//     plain read-only open is the only correct one.
func dsn(path string, mode connMode, busy time.Duration, maxPages int) string {
	if busy <= 0 {
		busy = defaultBusyTimeout
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	switch mode {
	case modeWrite:
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		if maxPages > 0 {
			q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", maxPages))
		}
		q.Add("_txlock", "immediate")
	case modeRead:
		q.Add("_pragma", "query_only(1)")
	case modeReadOnly:
		q.Add("mode", "ro")
	case modeProbe:
		q.Add("mode", "ro")
		if !exists(path+"-wal") && !exists(path+"-journal") {
			q.Add("immutable", "1")
		}
	}
	return "file:" + uriPath(path) + "?" + q.Encode()
}

// exists reports whether something is at path.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// uriPath escapes the characters that would end the path part of a SQLite
// URI filename or be decoded in it, so that any file name works.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// fileState is what checkFile found at a path.
type fileState int

const (
	fileMissing fileState = iota // no file: a new database will be created
	fileEmpty                    // an empty file: becomes a new database
	fileSQLite                   // a SQLite file, not yet known to be draftroom's
)

// sqliteMagic is the first 16 bytes of every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// checkFile looks at path before SQLite touches it and refuses anything
// that is not a SQLite file: a directory, a text file, a Word document.
// It only reads.
func checkFile(path string) (fileState, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fileMissing, nil
	} else if err != nil {
		return 0, engine.Errorf(engine.EINVALID, "cannot read %s: %v", path, unwrapPathError(err))
	}
	if fi.IsDir() {
		return 0, engine.Errorf(engine.EINVALID, "%s is a directory, not a draftroom database", path)
	}
	if fi.Size() == 0 {
		return fileEmpty, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, engine.Errorf(engine.EINVALID, "cannot read %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteMagic {
		return 0, engine.Errorf(engine.EINVALID, "%s is not a draftroom database: it is not a SQLite file", path)
	}
	return fileSQLite, nil
}

// unwrapPathError drops the operation and path from an *os.PathError,
// whose text would repeat the path the message already names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sqlError turns an error from SQLite about the database at path into one
// whose message says what happened in words and that nothing was stored;
// the original error stays in the chain (%w) for logs and errors.Is. Errors
// that are not SQLite's are wrapped as internal errors naming what was
// being done. nil stays nil.
func sqlError(path, what string, err error) error {
	if err == nil {
		return nil
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		var e *engine.Error
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			e = engine.Errorf(engine.EINTERNAL, "the disk holding %s is full: nothing was stored; free space and try again", path)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			e = engine.Errorf(engine.EINTERNAL, "the database %s is locked by another program: nothing was stored; stop the other program and try again", path)
		case sqlite3.SQLITE_NOTADB:
			e = engine.Errorf(engine.EINVALID, "%s is not a draftroom database: SQLite cannot read it", path)
		case sqlite3.SQLITE_CORRUPT:
			e = engine.Errorf(engine.EINTERNAL, "the database %s is damaged; restore it from a backup", path)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			e = engine.Errorf(engine.EINTERNAL, "cannot write to %s: nothing was stored; check the file's permissions", path)
		case sqlite3.SQLITE_CANTOPEN:
			e = engine.Errorf(engine.EINTERNAL, "cannot open or create %s: check that its directory exists and can be written", path)
		case sqlite3.SQLITE_IOERR:
			e = engine.Errorf(engine.EINTERNAL, "reading or writing %s failed (input/output error): nothing was stored", path)
		}
		if e != nil {
			return fmt.Errorf("%w [%s: %w]", e, what, err)
		}
	}
	return fmt.Errorf("%s in %s: %w", what, path, err)
}

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}
