//go:build !unix

package sqlite

// diskFree cannot tell on this platform; Health then relies on failed
// writes alone.
func diskFree(string) (uint64, bool) { return 0, false }
