package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts the profiles asked for in the environment — LINGPAO_CPUPROFILE=FILE for a CPU
// profile of the whole command, LINGPAO_MEMPROFILE=FILE for a heap profile at its end — for
// `go tool pprof`. The returned function writes and closes them.
func startProfiles(stderr io.Writer) func() {
	var stops []func()
	if path := os.Getenv("LINGPAO_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "LINGPAO_CPUPROFILE：%v\n", err)
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("LINGPAO_MEMPROFILE"); path != "" {
		stops = append(stops, func() {
			f, err := os.Create(path)
			if err == nil {
				runtime.GC()
				err = pprof.WriteHeapProfile(f)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(stderr, "LINGPAO_MEMPROFILE：%v\n", err)
			}
		})
	}
	return func() {
		for _, stop := range stops {
			stop()
		}
	}
}
