//go:build !unix

package server

// cpuSeconds is not measured where getrusage is missing.
func cpuSeconds() float64 { return 0 }
