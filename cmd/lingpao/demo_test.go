package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/jobs"
)

func TestDemoEndToEnd(t *testing.T) {
	tooltest.Need(t, "pdftotext", "poppler-utils")
	tooltest.Need(t, "pdffonts", "poppler-utils")
	python := tooltest.Python(t)
	dir := filepath.Join(t.TempDir(), "demo")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--dir", dir, "--period", "2025-06"}, &out, &errb); err != nil {
		t.Fatalf("demo: %v\n%s", err, errb.String())
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, "outbox", "2025Q2", "*.pdf"))
	xlsxs, _ := filepath.Glob(filepath.Join(dir, "outbox", "2025-06", "*.xlsx"))
	if len(pdfs) != 1 || len(xlsxs) != 1 {
		t.Fatalf("outbox: pdf %v xlsx %v\n%s", pdfs, xlsxs, out.String())
	}

	// The numbers the reports should carry, computed from the store independently of the renderers.
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	jun := lingpao.MonthOf(2025, 6)
	ds, sources, err := w.Store.LoadDataSet(context.Background(), lingpao.MonthOf(2024, 1), jun, w.Now().Add(24*365*3600e9))
	if err != nil {
		t.Fatal(err)
	}
	srdi, _ := w.Catalog.Indicator("srdi_sme")
	city := lingpao.Assess(w.Catalog, ds, w.Config.City, srdi, jun, w.Config.Progress)

	text := pdftext(t, pdfs[0])
	flat := strings.Join(strings.Fields(text), "")
	// Every county that reported June is named in the bulletin; no character of a name is lost.
	n := 0
	for key, s := range sources {
		if strings.HasSuffix(key, "/2025-06") {
			n++
			if name := w.Catalog.Tree.Name(s.Org); !strings.Contains(flat, name) {
				t.Errorf("bulletin lacks %s", name)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d counties reported June", n)
	}
	for _, want := range []string{"截至2025年6月底", "专精特新中小企业达到" + lingpao.FormatNumber(city.Actual.Value, 0) + "家", "第1页共", "报送方面"} {
		if !strings.Contains(flat, want) {
			t.Errorf("bulletin lacks %q", want)
		}
	}
	fonts, err := exec.Command("pdffonts", pdfs[0]).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fonts), "CID TrueType") || !strings.Contains(string(fonts), "yes yes yes") {
		t.Errorf("CJK font not embedded as a subset:\n%s", fonts)
	}

	// A second reader (openpyxl) sees the same city total in the monthly workbook.
	script := `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb["总览"]
rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r and r[0]}
print(json.dumps({k: [v for v in r] for k, r in rows.items()}, ensure_ascii=False, default=str))`
	py, err := exec.Command(python, "-c", script, xlsxs[0]).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, py)
	}
	var rows map[string][]any
	if err := json.Unmarshal(py, &rows); err != nil {
		t.Fatalf("%v: %s", err, py)
	}
	row := rows[srdi.Name]
	if len(row) < 4 || row[3] != city.Actual.Value {
		t.Errorf("openpyxl reads %s = %v, want actual %v", srdi.Name, row, city.Actual.Value)
	}
}

func pdftext(t *testing.T, path string) string {
	t.Helper()
	b, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(b)
}
