package jobs

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// testWorkspace creates a workspace with the seed catalog (and its example allocation), its clock
// pinned at now.
func testWorkspace(t *testing.T, now time.Time) *Workspace {
	t.Helper()
	dir := t.TempDir()
	if _, err := Init(dir); err != nil {
		t.Fatal(err)
	}
	w, err := Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	w.Now = func() time.Time { return now }
	w.Store.Now = w.Now
	return w
}

// submit stores an accepted return of org for month m received at `at`, with county-level values.
func submit(t *testing.T, w *Workspace, org string, m lingpao.Period, at time.Time, kv map[string]float64) {
	t.Helper()
	s := &lingpao.Submission{SHA256: fmt.Sprintf("%s-%s-%d", org, m, at.UnixNano()), Org: org, Period: m, FileName: org + ".xlsx", ReceivedAt: at, Status: lingpao.SubAccepted}
	var vs []lingpao.Value
	for k, v := range kv {
		vs = append(vs, lingpao.Value{Org: org, Cluster: org + "-01", Indicator: k, V: v})
	}
	if err := w.Store.SaveSubmission(context.Background(), s, vs, nil, nil); err != nil {
		t.Fatal(err)
	}
}

func bj(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, lingpao.Beijing) }

// TestUpdateLadder runs the ladder over a workspace. 鹿泉区's example share of the 2025 milestone of
// 专精特新中小企业 is 68, chained from its 2023 share of 52 (2024-01-01 to 2025-12-31):
//
//	July:      60 → (60−52)/16 = 0.50 against 19/24 = 0.7917 → −29.2 pp 严重滞后 → 警示
//	August:    60 → 0.50 against 20/24 → −33.3 pp → 约谈
//	September: 68 → 1.00 against 21/24 → +12.5 pp 超序时 → reset
//
// Its September return came on 10-12, after the deadline of 10-09 (国庆): the reporting ladder gives 警示.
// Then a corrected August (66 → 0.875 against 0.8333: +4.2 pp, 基本同步) arrives: August's 约谈 and
// September's reset are revoked and August now resets.
func TestUpdateLadder(t *testing.T) {
	ctx := context.Background()
	w := testWorkspace(t, bj(2025, 10, 20, 9))
	const lq = "130110"
	submit(t, w, lq, lingpao.MonthOf(2025, 7), bj(2025, 8, 1, 9), map[string]float64{"srdi_sme": 60})
	submit(t, w, lq, lingpao.MonthOf(2025, 8), bj(2025, 9, 1, 9), map[string]float64{"srdi_sme": 60})
	submit(t, w, lq, lingpao.MonthOf(2025, 9), bj(2025, 10, 12, 9), map[string]float64{"srdi_sme": 68})
	sep := lingpao.MonthOf(2025, 9)

	u, err := w.UpdateLadder(ctx, sep)
	if err != nil {
		t.Fatal(err)
	}
	if u.Added == 0 || u.Revoked != 0 {
		t.Fatalf("first update: %+v", u)
	}
	history := func(ind string, reporting bool) []string {
		t.Helper()
		es, err := w.Store.FindEscalations(ctx, sqlite.EscalationFilter{Org: lq, Indicator: ind, Reporting: reporting})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprintf("%s %s→%s", e.Month, e.From.Label(), e.To.Label()))
		}
		return out
	}
	if got, want := strings.Join(history("srdi_sme", false), "; "), "2025-07 —→警示; 2025-08 警示→约谈; 2025-09 约谈→—"; got != want {
		t.Errorf("srdi_sme ladder:\n got %s\nwant %s", got, want)
	}
	if got, want := strings.Join(history("", true), "; "), "2025-09 —→警示"; got != want {
		t.Errorf("reporting ladder:\n got %s\nwant %s", got, want)
	}
	es, _ := w.Store.FindEscalations(ctx, sqlite.EscalationFilter{Org: lq, Indicator: "srdi_sme"})
	if e := es[0]; lingpao.FormatDate(e.Date) != "2025-08-05" || e.Gap == nil || !strings.Contains(e.Reason, "2025年7月滞后序时进度29.2个百分点（严重滞后），连续第1个月滞后：警示") {
		t.Errorf("July step: %+v", e)
	}
	// Another county that sent nothing since July climbs the reporting ladder month by month.
	if es, _ := w.Store.FindEscalations(ctx, sqlite.EscalationFilter{Org: "130102", Reporting: true}); len(es) != 3 || es[2].To != lingpao.EscNotice {
		t.Errorf("长安区 reporting ladder: %+v", es)
	}

	// Idempotent.
	if u, err := w.UpdateLadder(ctx, sep); err != nil || u.Added != 0 || u.Revoked != 0 {
		t.Fatalf("second update: %+v %v", u, err)
	}

	// A late correction of August.
	submit(t, w, lq, lingpao.MonthOf(2025, 8), bj(2025, 10, 15, 9), map[string]float64{"srdi_sme": 66})
	u, err = w.UpdateLadder(ctx, sep)
	if err != nil || u.Added != 1 || u.Revoked != 2 {
		t.Fatalf("update after the correction: %+v %v", u, err)
	}
	if got, want := strings.Join(history("srdi_sme", false), "; "), "2025-07 —→警示; 2025-08 警示→—"; got != want {
		t.Errorf("srdi_sme ladder after the correction:\n got %s\nwant %s", got, want)
	}
	all, _ := w.Store.FindEscalations(ctx, sqlite.EscalationFilter{Org: lq, Indicator: "srdi_sme", Revoked: true})
	// By month: July; August's 约谈 (revoked) and its reset; September's reset (revoked).
	if len(all) != 4 || all[1].RevokedAt.IsZero() || !all[2].RevokedAt.IsZero() || all[3].RevokedAt.IsZero() || all[1].RevokeReason == "" {
		t.Errorf("history with revoked steps: %+v", all)
	}
	if u, err := w.UpdateLadder(ctx, sep); err != nil || u.Added != 0 || u.Revoked != 0 {
		t.Fatalf("update after the correction, again: %+v %v", u, err)
	}

	// The status of September: 鹿泉区 late, 专精特新 ahead, off the ladder; its reporting ladder at 警示.
	st, err := w.Status(ctx, sep)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Counties {
		switch c.Org {
		case lq:
			if c.Report.State != lingpao.ReportLate || c.Counts[lingpao.StatusAhead] != 1 || c.Level != lingpao.EscNone || c.ReportingLevel != lingpao.EscWarning {
				t.Errorf("鹿泉区 status: %+v", c)
			}
		case "130102":
			if c.Report.State != lingpao.ReportMissing || c.ReportingLevel != lingpao.EscNotice || c.Counts[lingpao.StatusMissing] == 0 {
				t.Errorf("长安区 status: %+v", c)
			}
		}
	}
	if st.Reporting.Expected != 24 || st.Reporting.Late != 1 || st.Reporting.Missing != 23 {
		t.Errorf("reporting: expected %d late %d missing %d", st.Reporting.Expected, st.Reporting.Late, st.Reporting.Missing)
	}
}
