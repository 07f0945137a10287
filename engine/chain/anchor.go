package chain

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Anchor is a head of the log seen at some time: the Seq of an event in
// the whole log and that event's hash. A log that still holds the event
// with that hash at that Seq has kept everything up to it; a log that has
// lost its tail, or had it rewritten and rehashed, has not. Anchors come
// from an anchor file that a server appends to (AnchorFile) or from heads
// published elsewhere (draftroom verify -head).
type Anchor struct {
	// Seq is the event's place in the whole log, from 1. 0 means the
	// anchor names a hash alone, as exports do: some event must have it.
	Seq uint64
	// Hash is the event's hash, 64 lower-case hex digits.
	Hash string
	// Source says where the anchor came from, for messages: "-head
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

// unwrapPathError drops the operation and path from an *os.PathError,
// whose text would repeat the path the message already names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadAnchors reads an anchor file. It refuses, naming the line, a line
// that is not "SEQ HASH TIME"; it skips a torn last line. Lines are in the
// order they were written, which is the order of Seq for one writer. A
// missing file is an ENOTFOUND error.
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

// TopAnchor reads the anchor file at path and returns its highest anchor,
// the one that proves the most; the zero Anchor when the file is missing
// or holds none.
func TopAnchor(path string) (Anchor, error) {
	anchors, err := ReadAnchors(path)
	if err != nil && engine.ErrorCode(err) != engine.ENOTFOUND {
		return Anchor{}, err
	}
	var top Anchor
	for _, a := range anchors {
		if a.Seq >= top.Seq {
			top = a
		}
	}
	return top, nil
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

// AnchorFile appends the heads a log hands it to an anchor file, fsynced,
// at most one line every 100 ms, from a goroutine of its own; the last
// head handed is always written by Close.
type AnchorFile struct {
	path string
	f    *os.File
	ch   chan anchorHead
	done chan struct{}
	mu   sync.Mutex
	err  error
}

// OpenAnchorFile opens the anchor file at path for appending, creating
// it, cuts off a torn last line (a writer killed while appending it) and
// starts the writer. The log's current head (seq, hash) is written at
// once unless it is topSeq, the highest anchor already in the file. The
// caller has checked that anchor against its log.
func OpenAnchorFile(path string, seq uint64, hash string, topSeq uint64) (*AnchorFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, engine.Errorf(engine.EINTERNAL, "cannot open or create the anchor file %s: %v", path, unwrapPathError(err))
	}
	// A torn last line is cut off, so the next line starts on a line of
	// its own.
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 && b[len(b)-1] != '\n' {
		if err := f.Truncate(int64(bytes.LastIndexByte(b, '\n') + 1)); err != nil {
			f.Close()
			return nil, engine.Errorf(engine.EINTERNAL, "the anchor file %s ends with a line cut short and it cannot be cut off (%v): remove that line by hand", path, unwrapPathError(err))
		}
	}
	a := &AnchorFile{path: path, f: f, ch: make(chan anchorHead, 1), done: make(chan struct{})}
	if seq > 0 && topSeq != seq {
		a.ch <- anchorHead{seq, hash}
	}
	go a.run()
	return a, nil
}

// Anchor hands a committed head to the writer, replacing a head it has
// not written yet. One goroutine (the log's committer) calls it.
func (a *AnchorFile) Anchor(seq uint64, hash string) {
	if a == nil {
		return
	}
	select {
	case <-a.ch:
	default:
	}
	a.ch <- anchorHead{seq, hash}
}

// Err is the error of the last write to the file, nil once one succeeds.
func (a *AnchorFile) Err() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// run appends each head it is handed and fsyncs it, at most one line per
// anchorInterval, until the channel is closed; the last head handed is
// always written.
func (a *AnchorFile) run() {
	defer close(a.done)
	var last time.Time
	for h := range a.ch {
		if wait := anchorInterval - time.Since(last); wait > 0 {
			time.Sleep(wait)
			select { // a newer head arrived meanwhile: write that one
			case n, ok := <-a.ch:
				if ok {
					h = n
				}
			default:
			}
		}
		last = time.Now()
		_, err := a.f.Write(anchorLine(h.seq, h.hash, last))
		if err == nil {
			err = a.f.Sync()
		}
		if err != nil {
			err = engine.Errorf(engine.EINTERNAL, "cannot write the anchor file %s: %v", a.path, unwrapPathError(err))
		}
		a.mu.Lock()
		a.err = err
		a.mu.Unlock()
	}
}

// Close lets the writer write the last head and closes the file. The log
// hands it no more heads. Closing a nil AnchorFile does nothing.
func (a *AnchorFile) Close() error {
	if a == nil {
		return nil
	}
	close(a.ch)
	<-a.done
	return a.f.Close()
}
