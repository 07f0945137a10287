package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Anchor is a head of the log seen at some time: the Seq of an event in
// the whole log and that event's hash. A log that still holds the event
// with that hash at that Seq has kept everything up to it; a log that has
// lost its tail, or had it rewritten and rehashed, has not. Anchors come
// from an anchor file that the server appends to (Options.AnchorFile) or
// from heads published elsewhere (draftroom verify --head).
type Anchor struct {
	// Seq is the event's place in the whole log, from 1. 0 means the
	// anchor names a hash alone, as exports do: some event must have it.
	Seq uint64
	// Hash is the event's hash, 64 lower-case hex digits.
	Hash string
	// Source says where the anchor came from, for messages: "--head
	// 12:ab…" or "anchors.log line 3".
	Source string
}

// ParseAnchor reads a head as "SEQ:HASH" (what draftroom verify prints)
// or a bare HASH (what every export names as its log hash).
func ParseAnchor(s string) (Anchor, error) {
	a := Anchor{Source: "head " + s}
	hash := s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		n, err := strconv.ParseUint(s[:i], 10, 64)
		if err != nil || n == 0 {
			return Anchor{}, engine.Errorf(engine.EINVALID, "head %q: %q before the colon is not an event number (1, 2, 3…)", s, s[:i])
		}
		a.Seq, hash = n, s[i+1:]
	}
	if !isHash(hash) {
		return Anchor{}, engine.Errorf(engine.EINVALID, "head %q: %q is not a hash (64 lower-case hex digits); write SEQ:HASH or HASH", s, hash)
	}
	a.Hash = hash
	return a, nil
}

// String is the anchor as ParseAnchor reads it.
func (a Anchor) String() string {
	if a.Seq == 0 {
		return a.Hash
	}
	return strconv.FormatUint(a.Seq, 10) + ":" + a.Hash
}

// isHash reports whether s is 64 lower-case hex digits.
func isHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// An anchor file is text, one line per anchor, appended to and never
// rewritten:
//
//	SEQ HASH TIME
//
// SEQ in decimal, HASH as stored, TIME when the line was written (RFC
// 3339, UTC), separated by one space, each line ended by a line feed. A
// last line without its line feed is one the writer was killed while
// writing; ReadAnchors skips it.

// anchorLine formats one line of an anchor file.
func anchorLine(seq uint64, hash string, at time.Time) []byte {
	return []byte(strconv.FormatUint(seq, 10) + " " + hash + " " + at.UTC().Format(time.RFC3339) + "\n")
}

// ReadAnchors reads an anchor file. It refuses, naming the line, a line
// that is not "SEQ HASH TIME"; it skips a torn last line. Lines are in the
// order they were written, which is the order of Seq for one writer.
func ReadAnchors(path string) ([]Anchor, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, engine.Errorf(engine.ENOTFOUND, "anchor file %s does not exist", path)
	} else if err != nil {
		return nil, engine.Errorf(engine.EINVALID, "cannot read anchor file %s: %v", path, unwrapPathError(err))
	}
	if i := bytes.LastIndexByte(b, '\n'); i < len(b)-1 {
		b = b[:i+1] // a torn last line: the writer died while appending it
	}
	var out []Anchor
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<16)
	for n := 1; sc.Scan(); n++ {
		where := fmt.Sprintf("%s line %d", path, n)
		f := strings.Split(sc.Text(), " ")
		if len(f) != 3 {
			return nil, engine.Errorf(engine.EINVALID, "%s: want \"SEQ HASH TIME\", got %q", where, sc.Text())
		}
		seq, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil || seq == 0 {
			return nil, engine.Errorf(engine.EINVALID, "%s: %q is not an event number", where, f[0])
		}
		if !isHash(f[1]) {
			return nil, engine.Errorf(engine.EINVALID, "%s: %q is not a hash (64 lower-case hex digits)", where, f[1])
		}
		if _, err := time.Parse(time.RFC3339, f[2]); err != nil {
			return nil, engine.Errorf(engine.EINVALID, "%s: %q is not a time (RFC 3339)", where, f[2])
		}
		out = append(out, Anchor{Seq: seq, Hash: f[1], Source: where})
	}
	if err := sc.Err(); err != nil {
		return nil, engine.Errorf(engine.EINVALID, "cannot read anchor file %s: %v", path, err)
	}
	return out, nil
}

// anchorInterval is the shortest time between two lines of an anchor
// file: a busy log commits hundreds of times a second, and one line per
// commit would double the fsyncs for nothing an anchor a moment later
// does not give. Close always writes the last head.
const anchorInterval = 100 * time.Millisecond

// anchorHead is a head to write to the anchor file.
type anchorHead struct {
	seq  uint64
	hash string
}

// openAnchors opens the anchor file of l (creating it), checks that its
// last anchor is still in the log and starts the goroutine that appends
// the heads the committer hands it. The current head is anchored at once.
func (l *Log) openAnchors(ctx context.Context) error {
	path := l.opts.AnchorFile
	anchors, err := ReadAnchors(path)
	if err != nil && engine.ErrorCode(err) != engine.ENOTFOUND {
		return err
	}
	var top Anchor // the highest anchor: the one that proves the most
	for _, a := range anchors {
		if a.Seq >= top.Seq {
			top = a
		}
	}
	if top.Seq > 0 {
		if err := checkAnchor(ctx, l.write, l.path, top); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return engine.Errorf(engine.EINTERNAL, "cannot open or create the anchor file %s: %v", path, unwrapPathError(err))
	}
	// A torn last line (a writer killed while appending it) is cut off,
	// so the next line starts on a line of its own.
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 && b[len(b)-1] != '\n' {
		if err := f.Truncate(int64(bytes.LastIndexByte(b, '\n') + 1)); err != nil {
			f.Close()
			return engine.Errorf(engine.EINTERNAL, "the anchor file %s ends with a line cut short and it cannot be cut off (%v): remove that line by hand", path, unwrapPathError(err))
		}
	}
	l.anchorFile = f
	l.anchorCh = make(chan anchorHead, 1)
	l.anchorDone = make(chan struct{})
	if l.lastSeq > 0 && top.Seq != l.lastSeq {
		l.anchorCh <- anchorHead{l.lastSeq, l.lastHash}
	}
	go l.anchorer()
	return nil
}

// checkAnchor checks that the event at a.Seq in the database still has
// a.Hash, with a message saying what was lost when it does not.
func checkAnchor(ctx context.Context, q rowsQueryer, path string, a Anchor) error {
	var hash string
	err := q.QueryRowContext(ctx, `SELECT hash FROM events WHERE seq = ?`, a.Seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		last, _, herr := logHead(ctx, q)
		if herr != nil {
			return sqlError(path, "read the log head", herr)
		}
		return engine.Errorf(engine.EINTERNAL, "the log %s ends at event %d, but %s says event %d was written: events are missing from its end; check it with draftroom verify", path, last, a.Source, a.Seq)
	} else if err != nil {
		return sqlError(path, "read an anchored event", err)
	}
	if hash != a.Hash {
		return engine.Errorf(engine.EINTERNAL, "event %d of the log %s has hash %s, but %s says %s: the log was rewritten; check it with draftroom verify", a.Seq, path, hash, a.Source, a.Hash)
	}
	return nil
}

// anchor hands the committed head to the anchorer, replacing a head it
// has not written yet. Only the committer calls it.
func (l *Log) anchor(seq uint64, hash string) {
	if l.anchorCh == nil {
		return
	}
	select {
	case <-l.anchorCh:
	default:
	}
	l.anchorCh <- anchorHead{seq, hash}
}

// anchorer appends each head it is handed to the anchor file and fsyncs
// it, at most one line per anchorInterval, until the channel is closed;
// the last head handed is always written. A failed write is the log's
// health until a later one succeeds.
func (l *Log) anchorer() {
	defer close(l.anchorDone)
	var last time.Time
	for h := range l.anchorCh {
		if wait := anchorInterval - time.Since(last); wait > 0 {
			time.Sleep(wait)
			select { // a newer head arrived meanwhile: write that one
			case n, ok := <-l.anchorCh:
				if ok {
					h = n
				}
			default:
			}
		}
		last = time.Now()
		_, err := l.anchorFile.Write(anchorLine(h.seq, h.hash, last))
		if err == nil {
			err = l.anchorFile.Sync()
		}
		if err != nil {
			l.setAnchorErr(engine.Errorf(engine.EINTERNAL, "cannot write the anchor file %s: %v", l.opts.AnchorFile, unwrapPathError(err)))
		} else {
			l.setAnchorErr(nil)
		}
	}
}

// closeAnchors lets the anchorer write the last head and closes the file.
// The committer has stopped.
func (l *Log) closeAnchors() error {
	if l.anchorCh == nil {
		return nil
	}
	close(l.anchorCh)
	<-l.anchorDone
	return l.anchorFile.Close()
}
