//go:build unix

package export_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the test process has used: a
// benchmark's figure that other processes on a loaded machine do not
// inflate, as they do its wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
