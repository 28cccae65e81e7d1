package web

import (
	"fmt"
	"net/http"
	"strings"

	"lingpao"
	"lingpao/sqlite"
)

// targetRow is one target as the page shows it, with its citation.
type targetRow struct {
	Org, Indicator, Group, Form, Value, When, Baseline, Citation, Text, Note string
	Example                                                                  bool
}

type targetsView struct {
	Version int
	// Versions are the targets versions, newest first.
	Versions []sqlite.TargetVersion
	MaxMB    int
	Org      string
	Orgs     []option
	Rows     []targetRow
	// Examples counts the demonstration allocations of the counties.
	Examples int
}

var formLabels = map[lingpao.TargetForm]string{
	lingpao.FormMilestone:  "阶段目标",
	lingpao.FormAnnual:     "年度目标",
	lingpao.FormCumulative: "累计目标",
	lingpao.FormRate:       "比率目标",
	lingpao.FormGrowth:     "增速目标",
}

// targetList shows the targets in force (the newest targets version): the city's from the documents,
// each with its citation, and the counties' allocations.
func (s *Server) targetList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "目标任务", "targets")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	cat, version, err := s.catalog(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	city := s.w.City()
	// The city's own targets first: they are what the documents set; "all" adds the allocations.
	v := targetsView{Version: version, Org: r.URL.Query().Get("org")}
	if v.Org == "" {
		v.Org = city.Code
	}
	v.Orgs = append(v.Orgs, option{city.Code, city.Name + "（市级目标）"}, option{"all", "全部（本市及各县分解）"})
	for _, c := range s.counties() {
		v.Orgs = append(v.Orgs, option{c.Code, c.Name})
	}
	if v.Org != "all" && v.Org != city.Code {
		if _, err := s.county(v.Org); err != nil {
			s.error(w, r, err)
			return
		}
	}
	for _, t := range cat.Targets {
		if t.Org != city.Code && !cat.Tree.IsUnder(t.Org, city.Code) {
			continue // the province's targets, and other cities' allocations
		}
		if t.Example {
			v.Examples++
		}
		if v.Org != "all" && t.Org != v.Org {
			continue
		}
		ind, ok := cat.Indicator(t.Indicator)
		if !ok {
			continue
		}
		row := targetRow{Org: cat.Tree.Name(t.Org), Indicator: ind.Name, Group: ind.Group, Form: formLabels[t.Form], Value: t.ValueText(ind),
			Citation: t.Citation, Text: t.Text, Note: plainNote(cat.Documents, t.Note), Example: t.Example, Baseline: "—"}
		if row.Form == "" {
			row.Form = string(t.Form)
		}
		switch {
		case t.Form == lingpao.FormAnnual || t.Form == lingpao.FormGrowth:
			row.When = fmt.Sprintf("%d—%d年每年", t.FromYear, t.ToYear)
			if t.FromYear == t.ToYear {
				row.When = fmt.Sprintf("%d年", t.FromYear)
			}
		case !t.Due.IsZero():
			row.When = "到" + lingpao.FormatDateCN(t.Due)
		}
		if t.Baseline != nil {
			row.Baseline = ind.Format(*t.Baseline)
		}
		v.Rows = append(v.Rows, row)
	}
	versions, err := s.w.Store.TargetVersions(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	for i := len(versions) - 1; i >= 0; i-- {
		v.Versions = append(v.Versions, versions[i])
	}
	v.MaxMB = s.opt.MaxUploadMB
	if r.URL.Query().Get("format") == "xlsx" {
		t := exportTable{Sheet: "目标任务", Title: fmt.Sprintf("目标任务（第 %d 版）", version), Columns: cols("单位", "指标", "指标组", "类型", "目标值", "期限", "基数", "出处", "原文要点", "口径说明", "示例分解")}
		for _, row := range v.Rows {
			example := ""
			if row.Example {
				example = "是"
			}
			t.Rows = append(t.Rows, []any{row.Org, row.Indicator, row.Group, row.Form, row.Value, row.When, row.Baseline, row.Citation, row.Text, row.Note, example})
		}
		s.sendXLSX(w, r, "目标任务", t)
		return
	}
	p.Hidden = map[string]string{"org": v.Org}
	p.Data = v
	s.render(w, r, http.StatusOK, "targets", p)
}

// plainNote words a target's note for people: the seed data's document keys (hbrb2022) become the
// document's number (文号) or title, and a key in brackets after a name it repeats is dropped.
func plainNote(docs []lingpao.Document, note string) string {
	for _, d := range docs {
		if d.Key == "" || !strings.Contains(note, d.Key) {
			continue
		}
		name := d.Number
		if name == "" {
			name = "《" + d.Title + "》"
		}
		note = strings.ReplaceAll(note, "（"+d.Key+"）", "")
		note = strings.ReplaceAll(note, " "+d.Key+" ", name)
		note = strings.ReplaceAll(note, d.Key, name)
	}
	return note
}
