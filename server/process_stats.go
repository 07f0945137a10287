package server

import (
	"os"
	"strconv"
	"strings"
)

// ProcessStats is the server process's CPU time and memory, for the
// metrics endpoint and load tests.
type ProcessStats struct {
	CPUSeconds float64 `json:"cpuSeconds"` // user + system time since start
	RSSBytes   int64   `json:"rssBytes"`   // resident set size now
}

// ReadProcessStats reads the process's CPU time and resident memory. The
// CPU time comes from getrusage on Unix and is 0 elsewhere; the RSS from
// /proc/self/statm on Linux and is 0 elsewhere.
func ReadProcessStats() ProcessStats {
	st := ProcessStats{CPUSeconds: cpuSeconds()}
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			if pages, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				st.RSSBytes = pages * int64(os.Getpagesize())
			}
		}
	}
	return st
}
