//go:build unix

package sqlite

import (
	"path/filepath"
	"syscall"
)

// diskFree returns the bytes available to this process on the file
// system holding path.
func diskFree(path string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
