package jobs

import (
	"context"
	"strings"
	"time"

	"lingpao"
	"lingpao/reports"
)

// Explanation is how one figure of the reports was made (lingpao.Explanation), with the data
// cut-off it was computed at.
type Explanation struct {
	lingpao.Explanation
	CutOff time.Time `json:"cutoff"`
	City   string    `json:"city"`
}

// Explain explains the figure of indicator (code or name) for org (the city, or one of its counties,
// by name or code) over period p, as a report made with the cut-off cutOff (zero: now) prints it:
// lingpao.Explain, with each cell's return — file, time of receipt, SHA-256, version — and its sheet
// and cell from the store. The CLI (`lingpao explain`) and the web page (/explain) both call it.
func (w *Workspace) Explain(ctx context.Context, p lingpao.Period, org, indicator string, cutOff time.Time) (_ *Explanation, err error) {
	defer lingpao.Wrap(&err, "jobs.Explain(%s, %s, %s)", p, org, indicator)
	if cutOff.IsZero() {
		cutOff = w.now()
	}
	release := w.ReadTargets()
	in, err := w.ReportInput(ctx, p, cutOff)
	release()
	if err != nil {
		return nil, err
	}
	return w.ExplainInput(ctx, in, org, indicator)
}

// ExplainInput is Explain over an Input already loaded (the web page loads it with the newest
// targets version, as its other pages do).
func (w *Workspace) ExplainInput(ctx context.Context, in reports.Input, org, indicator string) (*Explanation, error) {
	cat := in.Catalog
	u, err := cat.Tree.Find(strings.TrimSpace(org))
	if err != nil || (u.Code != w.Config.City && !cat.Tree.IsUnder(u.Code, w.Config.City)) {
		return nil, lingpao.Errorf(lingpao.EINVALID, "「%s」不是本市或本市的县（市、区）：请写全市（%s）或县名（如 鹿泉区），也可写行政区划代码。", org, w.City().Name)
	}
	ind, err := findIndicator(cat, indicator)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Explanation: lingpao.Explain(cat, in.Data, u.Code, ind, in.Period, w.Config.ProgressOptions()), CutOff: in.CutOff, City: w.City().Name}
	cells := map[int64]map[[2]string]lingpao.Value{}
	for i := range ex.Contributions {
		c := &ex.Contributions[i]
		if c.Submission == 0 {
			continue
		}
		if s, ok := in.Sources[c.Org+"/"+c.Month]; ok && s.ID == c.Submission {
			c.File, c.ReceivedAt, c.SHA256, c.Version = s.FileName, s.ReceivedAt, s.SHA256, s.Version
		}
		if _, ok := cells[c.Submission]; !ok {
			vs, err := w.Store.SubmissionValues(ctx, c.Submission)
			if err != nil {
				return nil, err
			}
			byCell := map[[2]string]lingpao.Value{}
			for _, v := range vs {
				byCell[[2]string{v.Cluster, v.Indicator}] = v
			}
			cells[c.Submission] = byCell
		}
		if v, ok := cells[c.Submission][[2]string{c.Cluster, c.Indicator}]; ok {
			c.Sheet, c.Cell = v.Sheet, v.Cell
		}
		if ci, ok := cat.Indicator(c.Indicator); ok && ci.Source == lingpao.SourceRoster {
			c.Sheet = "企业名录"
			if c.Note == "" {
				c.Note = rosterNote(ci)
			}
		}
	}
	return ex, nil
}

// rosterNote says how a roster-derived cell is summed from the 企业名录 sheet.
func rosterNote(ind lingpao.Indicator) string {
	who := "全部企业"
	if ind.Roster.Tag != "" {
		who = "标注“" + ind.Roster.Tag + "”的企业"
	}
	switch ind.Roster.Field {
	case "revenue":
		return "企业名录中该集群" + who + "的本年累计营业收入之和（须每家都已填报）"
	case "rnd":
		return "企业名录中该集群" + who + "的本年累计研发投入之和（须每家都已填报）"
	}
	return "企业名录中该集群" + who + "的户数"
}

// findIndicator finds an indicator the reports measure by its code, its name or its short name
// (专精特新中小企业 for 专精特新中小企业数).
func findIndicator(cat *lingpao.Catalog, s string) (lingpao.Indicator, error) {
	s = strings.TrimSpace(s)
	inds := lingpao.CountyIndicators(cat)
	for _, ind := range inds {
		if ind.Code == s || ind.Name == s {
			return ind, nil
		}
	}
	var found []lingpao.Indicator
	for _, ind := range inds {
		if strings.HasPrefix(ind.Name, s) && s != "" {
			found = append(found, ind)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	var names []string
	for _, ind := range inds {
		names = append(names, ind.Code+"（"+ind.Name+"）")
	}
	return lingpao.Indicator{}, lingpao.Errorf(lingpao.EINVALID, "指标「%s」不存在或不唯一：请写指标代码或全称，可选：%s。", s, strings.Join(names, "、"))
}
