package jobs

import (
	"encoding/json"
	"testing"

	"lingpao/reports"
	"lingpao/sqlite"
)

// TestPlanEdition checks how a generation picks its edition from the recorded ones.
func TestPlanEdition(t *testing.T) {
	figs := func(text string) []reports.Figure {
		return []reports.Figure{{Org: "a", Name: "正定县", Item: "新增发明专利（本年累计）", Text: text}}
	}
	ed := func(n int, text string) sqlite.Edition {
		b, _ := json.Marshal(figs(text))
		return sqlite.Edition{Edition: n, Digest: reports.Digest(figs(text)), Figures: b}
	}
	eds := []sqlite.Edition{ed(1, "12件"), ed(2, "13件")}
	for _, c := range []struct {
		name     string
		eds      []sqlite.Edition
		text     string
		explicit bool
		number   int
		reuse    bool
		errata   string
	}{
		{"nothing recorded", nil, "12件", false, 1, false, ""},
		{"same as the last", eds, "13件", false, 2, true, "正定县新增发明专利（本年累计）由12件更正为13件"},
		{"changed again", eds, "14件", false, 3, false, "正定县新增发明专利（本年累计）由13件更正为14件"},
		// Back to the first edition's figures as of now: a new edition correcting the last.
		{"back to the first, now", eds, "12件", false, 3, false, "正定县新增发明专利（本年累计）由13件更正为12件"},
		// The first edition's figures at its own cut-off: the first edition again, as it was.
		{"back to the first, at its cut-off", eds, "12件", true, 1, true, ""},
	} {
		p, err := planEdition(c.eds, figs(c.text), c.explicit)
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
