package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "log.db")
	l := open(t, path, Options{})
	if _, err := l.Append(ctx, "doc/a", 0, notes(0, 20)); err != nil {
		t.Fatal(err)
	}
	// Back up while appends go on: the copy is consistent and verifies.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := uint64(0); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := l.Append(ctx, "doc/b", i, notes(int(i), 1)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	out := filepath.Join(dir, "backup.db")
	rep, err := Backup(ctx, path, out)
	close(stop)
	wg.Wait()
	if err != nil || rep.Broken != nil || rep.Events < 20 {
		t.Fatalf("Backup = %+v, %v; want at least 20 events, unbroken", rep, err)
	}
	b := open(t, out, Options{})
	evs, err := b.Read(ctx, "doc/a", 0, 0)
	if err != nil || len(evs) != 20 {
		t.Errorf("the backup holds %d events of doc/a (%v), want 20", len(evs), err)
	}
	if seq, head, _ := b.Head(ctx, "doc/a"); seq != 20 || head != rep.Head {
		t.Errorf("the backup's head is %d %q, want 20 %q", seq, head, rep.Head)
	}
	for _, tt := range []struct {
		name, out, want string
	}{
		{"over the backup just made", out, out + " already exists; choose a new file for the backup"},
		{"over the database itself", path, path + " already exists; choose a new file for the backup"},
	} {
		if _, err := Backup(ctx, path, tt.out); engine.ErrorCode(err) != engine.EINVALID || engine.ErrorMessage(err) != tt.want {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	missing := filepath.Join(dir, "no-such-dir", "b.db")
	want := "cannot open or create " + missing + ": check that its directory exists and can be written"
	if _, err := Backup(ctx, path, missing); engine.ErrorMessage(err) != want {
		t.Errorf("backup into a missing directory: got %v, want %q", err, want)
	}
}
