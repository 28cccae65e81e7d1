package main

import (
	"os"
	"syscall"
)

// peakRSS returns a finished process's peak resident set size in MB (getrusage ru_maxrss, in KB on
// Linux).
func peakRSS(ps *os.ProcessState) float64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}
