package server

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ProcessStats is the server process's CPU time and memory, for the
// metrics endpoint and load tests.
type ProcessStats struct {
	CPUSeconds float64 `json:"cpuSeconds"` // user + system time since start
	RSSBytes   int64   `json:"rssBytes"`   // resident set size now
}

// readProcessStats reads the process's CPU time and resident memory. The
// RSS comes from /proc/self/statm on Linux and is 0 elsewhere.
func readProcessStats() ProcessStats {
	var ru syscall.Rusage
	var st ProcessStats
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		st.CPUSeconds = float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
	}
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			if pages, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				st.RSSBytes = pages * int64(os.Getpagesize())
			}
		}
	}
	return st
}
