package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"lingpao"
	"lingpao/jobs"
	"lingpao/reports"
	"lingpao/sqlite"
)

// lagRow is one county lagging on one indicator.
type lagRow struct {
	Org, Name, Indicator, Actual, Target, Completion, Expected, Gap string
	GapValue                                                        float64
	Status                                                          lingpao.Status
	// Href explains the figure (/explain).
	Href string
}

type escalationsView struct {
	Month lingpao.Period
	// Standing are the counties on a ladder after Month, highest rung first.
	Standing []ladderRow
	// Steps are a page of the recorded ladder steps — of Month's year through Month, or of the date
	// range asked for — newest first, matching the keyword.
	Steps []stepRow
	List  listQuery
	Pager pager
	// Levels lists the rungs for the legend.
	Levels []lingpao.EscalationLevel
	// Lagging are the (county, indicator) pairs 滞后 or 严重滞后 this month, worst first.
	Lagging []lagRow
	// Reporting are the counties late, missing or rejected this month.
	Reporting []countyState
}

// ladderRow is one county's place on the escalation ladders.
type ladderRow struct {
	Org, Name      string
	Level          lingpao.EscalationLevel
	ReportingLevel lingpao.EscalationLevel
	Escalated      []jobs.EscalatedIndicator
}

// stepRow is one recorded ladder step.
type stepRow struct {
	lingpao.Escalation
	Name, Indicator string
}

// escalations lists who is lagging and who has not reported this month — the candidates of the
// escalation ladder (督办: 警示 → 约谈 → 通报 → 报告 → 问责).
func (s *Server) escalations(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "督办预警", "escalations")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := s.reportInput(r.Context(), p.Period, s.now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	mo := reports.BuildMonthly(in)
	v := escalationsView{Month: p.Period, Levels: []lingpao.EscalationLevel{lingpao.EscWarning, lingpao.EscInterview, lingpao.EscNotice, lingpao.EscReport, lingpao.EscAccountability}}
	st, err := s.status(r.Context(), p.Period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, c := range st.Counties {
		if c.Level == lingpao.EscNone && c.ReportingLevel == lingpao.EscNone {
			continue
		}
		v.Standing = append(v.Standing, ladderRow{Org: c.Org, Name: c.Name, Level: max(c.Level, c.ReportingLevel), ReportingLevel: c.ReportingLevel, Escalated: c.Escalated})
	}
	sort.SliceStable(v.Standing, func(i, j int) bool { return v.Standing[i].Level > v.Standing[j].Level })
	lq, err := parseListQuery(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ef := sqlite.EscalationFilter{From: lingpao.MonthOf(p.Period.Year, 1), To: p.Period, Revoked: true}
	if lq.From != "" || lq.To != "" {
		ef.From, ef.To = lingpao.Period{}, lingpao.Period{} // the date range decides
	}
	steps, err := s.w.Store.FindEscalations(r.Context(), ef)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var rows []stepRow
	for i := len(steps) - 1; i >= 0; i-- {
		e := steps[i]
		row := stepRow{Escalation: e, Name: s.orgName(e.Org), Indicator: reportingItem}
		if ind, ok := s.w.Catalog.Indicator(e.Indicator); ok {
			row.Indicator = ind.Name
		}
		if lq.within(e.Date) && lq.matches(row.Name, row.Indicator, e.Reason, e.To.Label(), e.RevokeReason) {
			rows = append(rows, row)
		}
	}
	for _, g := range mo.Groups {
		for _, t := range g.Tables {
			ind := t.Indicator
			for _, row := range t.Rows {
				a := row.A
				if !a.Status.Lagging() {
					continue
				}
				v.Lagging = append(v.Lagging, lagRow{Org: row.Org, Name: row.Name, Indicator: ind.Name, Actual: ind.Format(a.Actual.Value),
					Target: a.Target.ValueText(ind), Completion: pct(a.Completion), Expected: pct(a.Expected), Gap: pp(a.Gap), GapValue: a.Gap, Status: a.Status,
					Href: explainLink(p.Period, row.Org, ind.Code)})
			}
		}
	}
	sort.SliceStable(v.Lagging, func(i, j int) bool { return v.Lagging[i].GapValue < v.Lagging[j].GapValue })
	for _, cr := range mo.Reporting.Counties {
		switch cr.State {
		case lingpao.ReportMissing, lingpao.ReportRejected, lingpao.ReportLate:
			cs := countyState{Org: cr.Org, Name: s.orgName(cr.Org), State: cr.State, Rejected: cr.Rejected}
			if cr.First != nil {
				cs.Received = cr.First.ReceivedAt
			}
			v.Reporting = append(v.Reporting, cs)
		}
	}
	if lq.Export {
		s.sendXLSX(w, r, "督办预警_"+p.Period.Label(), s.escalationTables(v, rows)...)
		return
	}
	v.Steps, v.Pager = paginate(r, &lq, rows)
	v.List = lq
	p.Hidden = map[string]string{"q": lq.Q, "from": lq.From, "to": lq.To}
	p.Data = v
	s.render(w, r, http.StatusOK, "escalations", p)
}

// escalationTables are the page's tables as workbook sheets: the standing, the reporting, every step
// of the filter and the lagging indicators.
func (s *Server) escalationTables(v escalationsView, steps []stepRow) []exportTable {
	month := v.Month.Label()
	standing := exportTable{Sheet: "督办台账", Title: "督办台账（" + month + "）", Columns: cols("单位", "最高级别", "报送督办", "指标督办")}
	for _, row := range v.Standing {
		var items []string
		for _, e := range row.Escalated {
			items = append(items, fmt.Sprintf("%s %s（%d个月）", e.Level.Label(), e.Name, e.Streak))
		}
		rep := ""
		if row.ReportingLevel != lingpao.EscNone {
			rep = row.ReportingLevel.Label()
		}
		standing.Rows = append(standing.Rows, []any{row.Name, row.Level.Label(), rep, strings.Join(items, "；")})
	}
	reporting := exportTable{Sheet: "报送不及时", Title: "报送不及时（" + month + "）", Columns: cols("单位", "情况", "收到时间", "退回次数")}
	for _, c := range v.Reporting {
		reporting.Rows = append(reporting.Rows, []any{c.Name, c.State.Label(), c.Received, c.Rejected})
	}
	record := exportTable{Sheet: "督办记录", Title: "督办记录", Columns: cols("生效日期", "单位", "事项", "变化", "连续月数", "原因", "记录时间", "撤销时间", "撤销原因")}
	for _, e := range steps {
		change := "解除"
		if e.Up() {
			change = e.To.Label()
		}
		record.Rows = append(record.Rows, []any{e.Date, e.Name, e.Indicator, change, e.Streak, e.Reason, e.RecordedAt, e.RevokedAt, e.RevokeReason})
	}
	lagging := exportTable{Sheet: "指标滞后", Title: "本月指标滞后（" + month + "）", Columns: cols("单位", "指标", "实际", "目标", "完成率", "序时进度", "差距（百分点）", "状态")}
	for _, l := range v.Lagging {
		lagging.Rows = append(lagging.Rows, []any{l.Name, l.Indicator, l.Actual, l.Target, l.Completion, l.Expected, l.Gap, l.Status.Label()})
	}
	return []exportTable{standing, reporting, record, lagging}
}

// reportingItem is the 事项 of the reporting ladder's steps: late, missing or rejected returns.
const reportingItem = "报送不及时（迟报、漏报、退回未重报）"

// status computes the reporting, status counts and ladder standing of period p as of now — the same
// computation as `lingpao status`.
func (s *Server) status(ctx context.Context, p lingpao.Period) (*jobs.Status, error) {
	release := s.w.ReadTargets()
	defer release()
	return s.w.Status(ctx, p)
}
