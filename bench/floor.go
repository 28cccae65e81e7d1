package main

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

// volume is what a set of returns holds: worksheet rows and cells, and XML tokens scanned.
type volume struct {
	files, rows, cells, tokens int
	bytes                      int64
}

func (v *volume) add(o volume) {
	v.files += o.files
	v.rows += o.rows
	v.cells += o.cells
	v.tokens += o.tokens
	v.bytes += o.bytes
}

// floorPart reports whether a zip part is one the floor pass scans: every worksheet and the shared
// strings — everything lingpao's reader decodes cell by cell.
func floorPart(name string) bool {
	return strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") || name == "xl/sharedStrings.xml"
}

// floorFile is the floor pass over one file: read it from disk, open the zip, and scan every
// worksheet and the shared strings with encoding/xml's RawToken — no values kept, nothing checked.
// Anything lingpao does to ingest the file costs at least this.
func floorFile(path string) (volume, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return volume{}, err
	}
	v := volume{files: 1, bytes: int64(len(b))}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	for _, f := range zr.File {
		if !floorPart(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return v, fmt.Errorf("%s: %s: %w", path, f.Name, err)
		}
		d := xml.NewDecoder(rc)
		for {
			tok, err := d.RawToken()
			if err == io.EOF {
				break
			} else if err != nil {
				rc.Close()
				return v, fmt.Errorf("%s: %s: %w", path, f.Name, err)
			}
			v.tokens++
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "row":
					v.rows++
				case "c":
					v.cells++
				}
			}
		}
		rc.Close()
	}
	return v, nil
}

// floorPass runs floorFile over files on the given number of workers.
func floorPass(files []string, workers int) (volume, error) {
	work := make(chan string)
	var (
		mu    sync.Mutex
		total volume
		first error
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				v, err := floorFile(p)
				mu.Lock()
				total.add(v)
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	return total, first
}
