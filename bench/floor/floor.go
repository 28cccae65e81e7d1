// Package floor is the floor pass of lingpao's benchmarks: every worksheet and the shared strings of
// a set of .xlsx files scanned with archive/zip and encoding/xml's RawToken, no values kept, nothing
// checked — what any reader of the same files must at least pay. Benchmarks report their times as
// ratios to it, measured in the same run over the same files, so that they hold on any machine.
package floor

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// Volume is what a set of returns holds: worksheet rows and cells, and XML tokens scanned.
type Volume struct {
	Files, Rows, Cells, Tokens int
	Bytes                      int64
}

func (v *Volume) add(o Volume) {
	v.Files += o.Files
	v.Rows += o.Rows
	v.Cells += o.Cells
	v.Tokens += o.Tokens
	v.Bytes += o.Bytes
}

// part reports whether a zip part is one the floor pass scans: every worksheet and the shared
// strings — everything lingpao's reader decodes cell by cell.
func part(name string) bool {
	return strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") || name == "xl/sharedStrings.xml"
}

// Scan is the floor pass over one file's bytes: open the zip and scan every worksheet and the
// shared strings with RawToken.
func Scan(b []byte) (Volume, error) {
	v := Volume{Files: 1, Bytes: int64(len(b))}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return v, err
	}
	for _, f := range zr.File {
		if !part(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return v, fmt.Errorf("%s: %w", f.Name, err)
		}
		d := xml.NewDecoder(rc)
		for {
			tok, err := d.RawToken()
			if err == io.EOF {
				break
			} else if err != nil {
				rc.Close()
				return v, fmt.Errorf("%s: %w", f.Name, err)
			}
			v.Tokens++
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "row":
					v.Rows++
				case "c":
					v.Cells++
				}
			}
		}
		rc.Close()
	}
	return v, nil
}

// File is the floor pass over one file on disk, reading it included.
func File(path string) (Volume, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Volume{}, err
	}
	v, err := Scan(b)
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// Pass runs File over files on the given number of workers.
func Pass(files []string, workers int) (Volume, error) {
	var (
		mu    sync.Mutex
		total Volume
	)
	err := Each(files, workers, func(path string) error {
		v, err := File(path)
		mu.Lock()
		total.add(v)
		mu.Unlock()
		return err
	})
	return total, err
}

// Each calls fn for every file on the given number of workers and returns the first error.
func Each(files []string, workers int, fn func(path string) error) error {
	work := make(chan string)
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := fn(p); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	return first
}
