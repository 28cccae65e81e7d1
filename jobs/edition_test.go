package jobs

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"lingpao"
	"lingpao/reports"
	"lingpao/sqlite"
)

// TestPlanEdition checks how a generation picks its edition from the recorded ones.
func TestPlanEdition(t *testing.T) {
	figs := func(text string) []reports.Figure {
		return []reports.Figure{{Org: "a", Name: "正定县", Item: "新增发明专利（本年累计）", Text: text}}
	}
	day := func(d int) time.Time { return time.Date(2025, 10, d, 9, 0, 0, 0, lingpao.Beijing) }
	ed := func(n int, text string, cut time.Time) sqlite.Edition {
		b, _ := json.Marshal(figs(text))
		return sqlite.Edition{Edition: n, Digest: reports.Digest(figs(text)), Figures: b, CutOff: cut}
	}
	eds := []sqlite.Edition{ed(1, "12件", day(10)), ed(2, "13件", day(15))}
	for _, c := range []struct {
		name     string
		eds      []sqlite.Edition
		text     string
		explicit bool
		cutOff   time.Time
		number   int
		reuse    bool
		errata   string
		refused  bool
	}{
		{"nothing recorded", nil, "12件", false, day(10), 1, false, "", false},
		{"same as the last", eds, "13件", false, day(20), 2, true, "正定县新增发明专利（本年累计）由12件更正为13件", false},
		{"changed again", eds, "14件", false, day(20), 3, false, "正定县新增发明专利（本年累计）由13件更正为14件", false},
		// Back to the first edition's figures as of now: a new edition correcting the last.
		{"back to the first, now", eds, "12件", false, day(20), 3, false, "正定县新增发明专利（本年累计）由13件更正为12件", false},
		// The first edition's figures at its own cut-off: the first edition again, as it was.
		{"back to the first, at its cut-off", eds, "12件", true, day(10), 1, true, "", false},
		// A job run as of a time between the editions, with the first edition's figures: the first.
		{"a time between the editions", eds, "12件", false, day(12), 1, true, "", false},
		// As of a time before any edition, with figures no edition had (returns not yet in): never
		// numbered after the editions already made — refused, not a 第3版 of bogus corrections.
		{"earlier than every edition, other figures", eds, "未报送", false, day(8), 0, false, "", true},
		{"earlier, explicit, other figures", eds, "未报送", true, day(8), 0, false, "", true},
	} {
		p, err := planEdition(c.eds, figs(c.text), c.explicit, c.cutOff)
		var earlier errEarlier
		if c.refused {
			if !errors.As(err, &earlier) || earlier.last.Edition != 2 {
				t.Errorf("%s: %+v %v, want refused after edition 2", c.name, p, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var errata []string
		for _, e := range p.errata {
			errata = append(errata, e.Text())
		}
		got := ""
		if len(errata) > 0 {
			got = errata[0]
		}
		if p.number != c.number || (p.reuse != nil) != c.reuse || got != c.errata || len(errata) > 1 {
			t.Errorf("%s: edition %d reuse %v errata %v, want %d %v %q", c.name, p.number, p.reuse != nil, errata, c.number, c.reuse, c.errata)
		}
	}
}

func TestEditionName(t *testing.T) {
	for n, want := range map[int]string{1: "季度通报_石家庄市_2025年第三季度.pdf", 2: "季度通报_石家庄市_2025年第三季度_第2版.pdf", 12: "季度通报_石家庄市_2025年第三季度_第12版.pdf"} {
		if got := editionName("季度通报_石家庄市_2025年第三季度.pdf", n); got != want {
			t.Errorf("edition %d: %s, want %s", n, got, want)
		}
	}
	if got := editionName("体检表/体检表_鹿泉区_2025年9月.pdf", 2); got != "体检表/体检表_鹿泉区_2025年9月_第2版.pdf" {
		t.Errorf("scorecard edition 2: %s", got)
	}
}
