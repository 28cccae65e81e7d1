package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	"lingpao/jobs"
	"lingpao/templates"
)

func TestTemplateAllAndDescribe(t *testing.T) {
	dir, out := filepath.Join(t.TempDir(), "ws"), filepath.Join(t.TempDir(), "模板")
	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"init", "--dir", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("init: %v\n%s", err, stderr.String())
	}
	stdout.Reset()
	if err := run(ctx, []string{"template", "--dir", dir, "--period", "2025-10", "--all", "--out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("template --all: %v\n%s", err, stderr.String())
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	counties := w.Catalog.Tree.Counties(w.Config.City)
	written := strings.Fields(stdout.String())
	if len(written) != len(counties) {
		t.Errorf("%d paths printed for %d counties", len(written), len(counties))
	}
	for _, u := range counties {
		path := filepath.Join(out, u.Name, "2025-10_"+u.Name+".xlsx")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", u.Name, err)
			continue
		}
		// Each is that county's template: it reads back as the county's October return.
		ret, fs, err := templates.Read(b, filepath.Base(path), w.Catalog, w.Config.Secret, templates.DefaultLimits())
		if err != nil || ret == nil || ret.Org != u.Code || ret.Period != lingpao.MonthOf(2025, 10) {
			t.Errorf("%s: %v %+v %v", u.Name, ret != nil, fs, err)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != len(counties) {
		t.Errorf("%d entries in %s, want one folder per county", len(entries), out)
	}

	stdout.Reset()
	if err := run(ctx, []string{"template", "--dir", dir, "--describe"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var c templates.Contract
	if err := json.Unmarshal(stdout.Bytes(), &c); err != nil || c.TemplateVersion != templates.Version || len(c.Sheets) != 5 || c.Sheets[1].FirstRow != 5 {
		t.Errorf("describe: %v %+v", err, c)
	}
	if err := run(ctx, []string{"template", "--dir", dir, "--period", "2025Q3", "--county", "鹿泉区"}, &stdout, &stderr); lingpao.ErrorCode(err) != lingpao.EINVALID {
		t.Errorf("quarterly template: %v", err)
	}
}

// TestTemplatePrefillsRoster: the next month's template carries the roster of the county's latest
// accepted return — names, codes, clusters, tags — with the figures left for the clerk.
func TestTemplatePrefillsRoster(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"init", "--dir", dir}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := lingpao.USCCCheck("91130110MA07L2XK3")
	uscc := "91130110MA07L2XK3" + string(c)
	rev := 5000.0
	// September's accepted return, stored as ingest would.
	s := lingpao.Submission{SHA256: strings.Repeat("a", 64), Org: "130110", Period: lingpao.MonthOf(2025, 9), FileName: "a.xlsx", Size: 1, ReceivedAt: w.Now(), Status: lingpao.SubAccepted}
	ents := []lingpao.Enterprise{{Name: "鹿泉华恒电子有限公司", USCC: uscc, Cluster: "130110-01", Tags: []string{lingpao.TagLeader, lingpao.TagSRDI}, Revenue: &rev, Row: 4}}
	if err := w.Store.SaveSubmission(ctx, &s, []lingpao.Value{{Cluster: "130110-01", Indicator: "revenue_ytd", V: 1, Cell: "C5"}}, ents, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out := t.TempDir()
	if err := run(ctx, []string{"template", "--dir", dir, "--period", "2025-10", "--county", "鹿泉区", "--out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	w, err = jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	b, err := os.ReadFile(filepath.Join(out, "2025-10_鹿泉区.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	ret, _, err := templates.Read(b, "x.xlsx", w.Catalog, w.Config.Secret, templates.DefaultLimits())
	if err != nil || ret == nil || len(ret.Enterprises) != 1 {
		t.Fatalf("read back: %v %+v", err, ret)
	}
	e := ret.Enterprises[0]
	if e.Name != "鹿泉华恒电子有限公司" || e.USCC != uscc || e.Cluster != "130110-01" || strings.Join(e.Tags, "、") != "领跑者、专精特新" || e.Revenue != nil {
		t.Errorf("prefilled %+v, want names, code, cluster and tags without figures", e)
	}
}
