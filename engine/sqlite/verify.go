package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Report is the result of walking the hash chain.
type Report struct {
	Events uint64 // events verified before the first broken link, or all
	Head   string // hash of the last event verified
	Broken *Break // the first broken link, nil when the chain holds
}

// Break describes the first event whose hash or link does not hold.
type Break struct {
	Seq      uint64
	Stream   string
	Reason   string
	Stored   string
	Computed string
}

// String says what is broken, in words.
func (b *Break) String() string {
	return fmt.Sprintf("event %d (stream %s): %s (stored %s, computed %s)", b.Seq, b.Stream, b.Reason, short(b.Stored), short(b.Computed))
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

// Verify walks the whole chain of the database at path, in order,
// recomputing every hash, and reports the first broken link. It opens the
// file read-only and never changes it.
func Verify(ctx context.Context, path string) (Report, error) {
	var rep Report
	if _, err := os.Stat(path); err != nil {
		return rep, err
	}
	if err := checkFile(path); err != nil {
		return rep, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		return rep, err
	}
	defer db.Close()
	l := &Log{path: path}
	var appID int
	if err := db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return rep, l.wrap("read the database header", err)
	}
	if appID != applicationID {
		return rep, engine.Errorf(engine.EINVALID, "%s is not a draftroom database", path)
	}
	rows, err := db.QueryContext(ctx, `SELECT seq, stream, stream_seq, type, at, actor, data, prev_hash, hash FROM events ORDER BY seq`)
	if err != nil {
		return rep, l.wrap("read events", err)
	}
	defer rows.Close()
	prev := ""
	var lastSeq uint64
	heads := map[string]uint64{}
	for rows.Next() {
		var seq, streamSeq uint64
		var stream, typ, at, actor, prevHash, hash string
		var data []byte
		if err := rows.Scan(&seq, &stream, &streamSeq, &typ, &at, &actor, &data, &prevHash, &hash); err != nil {
			return rep, l.wrap("read events", err)
		}
		brk := func(reason, stored, computed string) (Report, error) {
			rep.Broken = &Break{Seq: seq, Stream: stream, Reason: reason, Stored: stored, Computed: computed}
			return rep, nil
		}
		if seq != lastSeq+1 {
			return brk(fmt.Sprintf("sequence jumps from %d to %d: events are missing", lastSeq, seq), "", "")
		}
		if streamSeq != heads[stream]+1 {
			return brk(fmt.Sprintf("stream sequence jumps from %d to %d", heads[stream], streamSeq), "", "")
		}
		if prevHash != prev {
			return brk("the link to the previous event does not match", prevHash, prev)
		}
		if _, err := time.Parse(time.RFC3339Nano, at); err != nil {
			return brk("its time is not readable", at, "")
		}
		if !json.Valid([]byte(actor)) || !json.Valid(data) {
			return brk("its content is not valid JSON", "", "")
		}
		if want := ChainHash(prev, seq, stream, streamSeq, typ, at, []byte(actor), data); want != hash {
			return brk("its content does not match its hash: it was changed after it was written", hash, want)
		}
		prev, lastSeq = hash, seq
		heads[stream] = streamSeq
		rep.Events++
		rep.Head = hash
	}
	return rep, l.wrap("read events", rows.Err())
}

// Backup copies the database at path to out with VACUUM INTO (a consistent
// copy even while the server writes), then checks the copy with
// PRAGMA integrity_check and by walking its chain. It refuses to overwrite
// out.
func Backup(ctx context.Context, path, out string) (Report, error) {
	if _, err := os.Stat(out); err == nil {
		return Report{}, engine.Errorf(engine.EINVALID, "%s already exists; choose a new file for the backup", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Report{}, err
	}
	if _, err := os.Stat(path); err != nil {
		return Report{}, err
	}
	if err := checkFile(path); err != nil {
		return Report{}, err
	}
	// VACUUM INTO writes only the new file, but needs a connection that is
	// not query_only.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return Report{}, err
	}
	defer db.Close()
	l := &Log{path: path}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		os.Remove(out)
		return Report{}, l.wrap("copy", err)
	}
	cp, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		return Report{}, err
	}
	defer cp.Close()
	var check string
	if err := cp.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return Report{}, (&Log{path: out}).wrap("check the copy", err)
	}
	if check != "ok" {
		return Report{}, engine.Errorf(engine.EINTERNAL, "the backup %s failed its integrity check: %s", out, check)
	}
	rep, err := Verify(ctx, out)
	if err != nil {
		return rep, err
	}
	if rep.Broken != nil {
		return rep, engine.Errorf(engine.EINTERNAL, "the backup %s has a broken chain: %s", out, rep.Broken)
	}
	return rep, nil
}
