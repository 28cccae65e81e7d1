package sqlite

import (
	"context"
	"testing"
	"time"

	"lingpao"
)

func TestSyncEscalations(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	gap := -8.0
	step := func(org, ind string, m int, from, to lingpao.EscalationLevel, reason string) lingpao.Escalation {
		return lingpao.Escalation{Org: org, Indicator: ind, Month: lingpao.MonthOf(2025, m), From: from, To: to, Streak: int(to), State: "behind",
			Gap: &gap, Reason: reason, Date: time.Date(2025, time.Month(m)+1, 5, 0, 0, 0, 0, lingpao.Beijing)}
	}
	steps := []lingpao.Escalation{
		step("A", "srdi_sme", 7, lingpao.EscNone, lingpao.EscWarning, "7月滞后"),
		step("A", "srdi_sme", 8, lingpao.EscWarning, lingpao.EscInterview, "8月滞后"),
		step("A", "", 8, lingpao.EscNone, lingpao.EscWarning, "8月逾期"),
		step("B", "srdi_sme", 9, lingpao.EscNone, lingpao.EscWarning, "9月滞后"),
	}
	added, revoked, err := db.SyncEscalations(ctx, lingpao.MonthOf(2025, 9), steps)
	if err != nil || added != 4 || revoked != 0 {
		t.Fatalf("first sync: added %d revoked %d, %v", added, revoked, err)
	}
	// The same steps again: nothing changes.
	if added, revoked, err := db.SyncEscalations(ctx, lingpao.MonthOf(2025, 9), steps); err != nil || added != 0 || revoked != 0 {
		t.Fatalf("second sync: added %d revoked %d, %v", added, revoked, err)
	}
	// A late correction: 甲县's August was on schedule after all. August's step is revoked, and the
	// ladder restarts in September.
	corrected := []lingpao.Escalation{steps[0], steps[2], steps[3],
		step("A", "srdi_sme", 8, lingpao.EscWarning, lingpao.EscNone, "8月基本同步，解除"),
		step("A", "srdi_sme", 9, lingpao.EscNone, lingpao.EscWarning, "9月滞后"),
	}
	if added, revoked, err := db.SyncEscalations(ctx, lingpao.MonthOf(2025, 9), corrected); err != nil || added != 2 || revoked != 1 {
		t.Fatalf("corrected sync: added %d revoked %d, %v", added, revoked, err)
	}
	// Syncing through August leaves September's steps alone.
	if added, revoked, err := db.SyncEscalations(ctx, lingpao.MonthOf(2025, 8), corrected[:4]); err != nil || added != 0 || revoked != 0 {
		t.Fatalf("sync through August: added %d revoked %d, %v", added, revoked, err)
	}

	got, err := db.FindEscalations(ctx, EscalationFilter{Org: "A", Indicator: "srdi_sme"})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range got {
		reasons = append(reasons, e.Reason)
	}
	if len(got) != 3 || got[0].Reason != "7月滞后" || got[1].Reason != "8月基本同步，解除" || got[2].Reason != "9月滞后" {
		t.Errorf("甲县 srdi_sme history: %v", reasons)
	}
	if e := got[0]; e.Gap == nil || *e.Gap != -8 || e.Date.Format("2006-01-02") != "2025-08-05" || e.RecordedAt.IsZero() || e.From != lingpao.EscNone || e.To != lingpao.EscWarning {
		t.Errorf("stored step: %+v", e)
	}
	all, _ := db.FindEscalations(ctx, EscalationFilter{Org: "A", Indicator: "srdi_sme", Revoked: true})
	if len(all) != 4 || all[1].RevokedAt.IsZero() || all[1].RevokeReason == "" {
		t.Errorf("with revoked: %+v", all)
	}
	rep, _ := db.FindEscalations(ctx, EscalationFilter{Reporting: true})
	if len(rep) != 1 || rep[0].Indicator != "" {
		t.Errorf("reporting ladder: %+v", rep)
	}
	sep, _ := db.FindEscalations(ctx, EscalationFilter{From: lingpao.MonthOf(2025, 9), To: lingpao.MonthOf(2025, 9)})
	if len(sep) != 2 {
		t.Errorf("September: %+v", sep)
	}
	levels := lingpao.LevelsAt(all, lingpao.MonthOf(2025, 8))
	if len(levels) != 0 {
		t.Errorf("levels in August after the correction: %v, want none", levels)
	}
	everything, _ := db.FindEscalations(ctx, EscalationFilter{})
	levels = lingpao.LevelsAt(everything, lingpao.MonthOf(2025, 9))
	want := map[lingpao.LadderSubject]lingpao.EscalationLevel{{Org: "A", Indicator: "srdi_sme"}: lingpao.EscWarning, {Org: "A"}: lingpao.EscWarning, {Org: "B", Indicator: "srdi_sme"}: lingpao.EscWarning}
	if len(levels) != len(want) {
		t.Errorf("levels in September: %v", levels)
	}
	for k, v := range want {
		if levels[k] != v {
			t.Errorf("level of %v = %v, want %v", k, levels[k], v)
		}
	}
}
