package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/draftroom/draftroom/engine"
)

// Backup copies the draftroom database at path to the new file out with
// VACUUM INTO, which writes a consistent copy even while a server appends,
// fsyncs the copy, then checks it with PRAGMA integrity_check and by
// walking its hash chain; the Report is the copy's. The source is opened
// read-only. Backup refuses to overwrite an existing out. A copy that
// fails its checks is left in place for inspection and the error says so.
func Backup(ctx context.Context, path, out string) (Report, error) {
	if _, err := os.Lstat(out); err == nil {
		return Report{}, engine.Errorf(engine.EINVALID, "%s already exists; choose a new file for the backup", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Report{}, engine.Errorf(engine.EINVALID, "cannot use %s for the backup: %v", out, unwrapPathError(err))
	}
	src, err := openReadOnly(ctx, path)
	if err != nil {
		return Report{}, err
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		_ = os.Remove(out)
		return Report{}, sqlError(out, "copy "+path, err)
	}
	if err := syncFile(out); err != nil {
		return Report{}, engine.Errorf(engine.EINTERNAL, "the backup %s was written but could not be flushed to disk: %v", out, err)
	}
	cp, err := openReadOnly(ctx, out)
	if err != nil {
		return Report{}, err
	}
	defer cp.Close()
	rows, err := cp.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return Report{}, sqlError(out, "check the backup", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return Report{}, sqlError(out, "check the backup", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Report{}, sqlError(out, "check the backup", err)
	}
	if len(problems) > 0 {
		return Report{}, engine.Errorf(engine.EINTERNAL, "the backup %s failed its integrity check (%s); the source may be damaged", out, problems[0])
	}
	rep, err := verifyDB(ctx, cp, out, nil)
	if err != nil {
		return rep, err
	}
	if rep.Broken != nil {
		return rep, engine.Errorf(engine.EINTERNAL, "the backup %s was written but its hash chain is broken, as the source's must be: %s", out, rep.Broken)
	}
	return rep, nil
}

// syncFile flushes a new file and the directory entry that names it.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
