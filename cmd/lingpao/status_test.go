package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/jobs"
)

func TestStatus(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"init", "--dir", dir}, &out, &errb); err != nil {
		t.Fatalf("init: %v\n%s", err, errb.String())
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	sep := lingpao.MonthOf(2025, 9)
	at := func(d, h int) time.Time { return time.Date(2025, 10, d, h, 0, 0, 0, lingpao.Beijing) }
	for _, s := range []struct {
		org    string
		at     time.Time
		status lingpao.SubmissionStatus
		srdi   float64
	}{
		{"130110", at(9, 10), lingpao.SubAccepted, 68}, // 鹿泉区 on the deadline day (10-09, after 国庆)
		{"130102", at(10, 9), lingpao.SubAccepted, 20}, // 长安区 a day late
		{"130104", at(8, 9), lingpao.SubRejected, 0},   // 桥西区 rejected, not sent again
	} {
		sub := &lingpao.Submission{SHA256: s.org, Org: s.org, Period: sep, FileName: s.org + ".xlsx", ReceivedAt: s.at, Status: s.status}
		var vs []lingpao.Value
		if s.status == lingpao.SubAccepted {
			vs = []lingpao.Value{{Org: s.org, Cluster: s.org + "-01", Indicator: "srdi_sme", V: s.srdi}}
		}
		if err := w.Store.SaveSubmission(ctx, sub, vs, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	out.Reset()
	if err := run(ctx, []string{"status", "--period", "2025-09", "--dir", dir}, &out, &errb); err != nil {
		t.Fatalf("status: %v\n%s", err, errb.String())
	}
	text := out.String()
	for _, want := range []string{"石家庄市 2025年9月 报送与进度", "报送：应报 24，已报 2（按时 1，逾期 1），未报 21，退回待重报 1，未到截止日 0；报送率 8.3%。截止日 2025-10-09。"} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %q:\n%s", want, text)
		}
	}
	lines := strings.Split(text, "\n")
	var header string
	rows := map[string]string{}
	for _, l := range lines {
		if strings.HasPrefix(l, "县（市、区）") {
			header = l
		}
		for _, name := range []string{"鹿泉区", "长安区", "桥西区", "新华区"} {
			if strings.HasPrefix(l, name+" ") {
				rows[name] = l
			}
		}
	}
	// 鹿泉区: 68 of its 2025 share 68 from 52: (68−52)/16 = 1 against 21/24 → 超序时; the rest of its
	// targets not reported.
	checks := map[string][]string{
		"鹿泉区": {"按时报送", "—"},
		"长安区": {"逾期报送", "报送警示"},
		"桥西区": {"已退回待重报", "报送警示"},
		"新华区": {"未报送", "报送警示"},
	}
	for name, wants := range checks {
		for _, want := range wants {
			if !strings.Contains(rows[name], want) {
				t.Errorf("%s row %q lacks %q", name, rows[name], want)
			}
		}
	}
	// Columns line up by display width: 督办 starts at the same column as each row's last field.
	col := displayWidth().StringWidth(header[:strings.Index(header, "督办")])
	for name, row := range rows {
		fields := strings.Fields(row)
		last := fields[len(fields)-1]
		if got := displayWidth().StringWidth(row[:strings.LastIndex(row, last)]); got != col {
			t.Errorf("%s: 督办 column at %d, want %d\n%s\n%s", name, got, col, header, row)
		}
	}

	out.Reset()
	if err := run(ctx, []string{"status", "--period", "2025Q3", "--dir", dir, "--format", "json"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Period    string `json:"period"`
		Month     string `json:"month"`
		Reporting struct {
			Expected int `json:"expected"`
			OnTime   int `json:"on_time"`
			Rejected int `json:"rejected"`
		} `json:"reporting"`
		Counties []struct {
			Org    string         `json:"org"`
			Counts map[string]int `json:"counts"`
			Report struct {
				State string `json:"state"`
			} `json:"report"`
			ReportingLevel int `json:"reporting_level"`
		} `json:"counties"`
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if st.Period != "2025Q3" || st.Month != "2025-09" || st.Reporting.Expected != 24 || st.Reporting.OnTime != 1 || st.Reporting.Rejected != 1 || len(st.Counties) != 24 {
		t.Errorf("JSON: %+v", st)
	}
	for _, c := range st.Counties {
		if c.Org == "130110" && (c.Counts["ahead"] != 1 || c.Report.State != "on_time" || c.ReportingLevel != 0) {
			t.Errorf("鹿泉区 JSON: %+v", c)
		}
	}

	if err := run(ctx, []string{"status", "--dir", dir}, &out, &errb); !errors.Is(err, errUsage) {
		t.Errorf("no period: %v, want usage error", err)
	}
	if err := run(ctx, []string{"status", "--period", "2025-13", "--dir", dir}, &out, &errb); !errors.Is(err, errUsage) || !strings.Contains(lingpao.ErrorMessage(err), "期间「2025-13」格式不对") {
		t.Errorf("bad period: %v, want a usage error", err)
	}
}
