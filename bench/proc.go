package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// pollSeconds is the poll interval the harness gives its workspaces; `lingpao ingest` waits it once
// between its two looks at the inbox, and the harness takes it off the measured time.
const pollSeconds = 0.01

// stat is one child process's run.
type stat struct {
	wall, cpu float64 // seconds
	rssMB     float64 // peak resident set size
	out       string
}

// child runs a program and returns its wall time, CPU time and peak RSS; a failure carries its output.
func child(name string, args ...string) (stat, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	st := stat{wall: since(start), out: out.String()}
	if err != nil {
		return st, fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(st.out))
	}
	st.cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	st.rssMB = peakRSS(cmd.ProcessState)
	return st, nil
}

// shortPoll sets the workspace's poll interval to pollSeconds.
func shortPoll(dir string) error {
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		return err
	}
	cfg.Inbox.PollSeconds = pollSeconds
	b, err := lingpao.MarshalConfig(cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(cfg.Path(lingpao.ConfigFile), b, 0o644)
}

// copyDir copies a workspace (the harness's own folders only).
func copyDir(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	return os.CopyFS(dst, os.DirFS(src))
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

//go:embed openpyxl_read.py
var openpyxlScript []byte

// openpyxlPass reads every cell of files with openpyxl read-only and returns the seconds the script
// measured itself (interpreter start-up and import left out, in openpyxl's favour).
func openpyxlPass(python string, files []string) (float64, error) {
	script := filepath.Join(os.TempDir(), "lingpao-bench-openpyxl.py")
	if err := os.WriteFile(script, openpyxlScript, 0o644); err != nil {
		return 0, err
	}
	defer os.Remove(script)
	st, err := child(python, append([]string{script}, files...)...)
	if err != nil {
		return 0, err
	}
	f := strings.Fields(st.out)
	if len(f) != 3 {
		return 0, fmt.Errorf("openpyxl: unexpected output %q", st.out)
	}
	return strconv.ParseFloat(f[2], 64)
}

// sofficePDF converts an .xlsx to PDF with LibreOffice headless, in a profile of the harness's own,
// and returns the wall time.
func sofficePDF(o options, xlsx string) (float64, error) {
	profile := "file://" + filepath.Join(o.work, "lo-profile")
	st, err := child(o.soffice, "--headless", "--norestore", "-env:UserInstallation="+profile, "--convert-to", "pdf", "--outdir", filepath.Join(o.work, "lo-out"), xlsx)
	if err != nil {
		return 0, err
	}
	pdf := filepath.Join(o.work, "lo-out", strings.TrimSuffix(filepath.Base(xlsx), ".xlsx")+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		return 0, fmt.Errorf("soffice made no PDF: %s", tail(st.out))
	}
	return st.wall, nil
}

// sofficeWarm converts a one-cell workbook once, so that the first conversion timed does not also
// set up LibreOffice's profile.
func sofficeWarm(o options) error {
	if warmed {
		return nil
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "预热"); err != nil {
		return err
	}
	path := filepath.Join(o.work, "warm.xlsx")
	if err := f.SaveAs(path); err != nil {
		return err
	}
	if _, err := sofficePDF(o, path); err != nil {
		return err
	}
	warmed = true
	return nil
}

var warmed bool
