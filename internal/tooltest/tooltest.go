// Package tooltest finds, for tests, the outside programs they check lingpao's output with — a Python
// with openpyxl, poppler's pdftotext and pdffonts, LibreOffice, Chromium — and fails the test with the
// Debian package to install when one is missing (`make test` installs them when run as root).
package tooltest

import (
	"os/exec"
	"sync"
	"testing"
)

// Python returns a Python interpreter that can import openpyxl. Debian's python3-openpyxl lives
// under /usr/bin/python3, which another python3 earlier on PATH (pyenv) may shadow.
func Python(t testing.TB) string {
	t.Helper()
	return python(t, "openpyxl", "no Python with openpyxl: apt-get install python3-openpyxl (make test installs it when run as root)")
}

// PythonWith returns a Python interpreter that can import module (of its standard library).
func PythonWith(t testing.TB, module string) string {
	t.Helper()
	return python(t, module, "no python3 that can import "+module+": apt-get install python3")
}

var found sync.Map // module → interpreter

func python(t testing.TB, module, missing string) string {
	t.Helper()
	if p, ok := found.Load(module); ok {
		return p.(string)
	}
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import "+module).Run() == nil {
			found.Store(module, p)
			return p
		}
	}
	t.Fatal(missing)
	return ""
}

// Need fails the test with what to install when tool, from Debian package pkg, is not on PATH.
func Need(t testing.TB, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s not found: apt-get install %s (make test installs it when run as root)", tool, pkg)
	}
}
