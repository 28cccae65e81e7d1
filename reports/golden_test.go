package reports_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	. "lingpao/reports"
	"lingpao/reports/reportstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The goldens hold the built content of every report of the fixture as text — the narrative
// paragraph by paragraph and every table row with its cells as the renderers print them — so that a
// change of a figure or a sentence shows in review. Run `go test ./reports -update` to accept one.

type dump struct{ strings.Builder }

func (d *dump) p(format string, args ...any) { fmt.Fprintf(&d.Builder, format+"\n", args...) }

func (d *dump) paras(title string, ps ...string) {
	d.p("## %s", title)
	for _, p := range ps {
		if p != "" {
			d.p("%s", p)
		}
	}
}

func (d *dump) table(title string, head []string, rows [][]string) {
	d.p("### %s", title)
	d.p("%s", strings.Join(head, " | "))
	for _, r := range rows {
		d.p("%s", strings.Join(r, " | "))
	}
}

func indicatorRows(t Table) [][]string {
	ind := t.Indicator
	rows := [][]string{{t.Total.Name, TargetText(ind, t.Total.A), ActualText(ind, t.Total.A), CompletionText(t.Total.A), ExpectedText(t.Total.A), GapCell(t.Total.A), t.Total.A.Status.Label(), "", ""}}
	for _, r := range t.Ranked() {
		rows = append(rows, []string{r.Name, TargetFigure(ind, r.A), ActualText(ind, r.A), CompletionText(r.A), ExpectedText(r.A), GapCell(r.A), r.A.Status.Label(), RankText(r.A.Rank), MoveText(r)})
	}
	return rows
}

var indicatorHead = []string{"单位", "目标", "实际", "完成率", "序时进度", "差距", "状态", "排名", "升降"}

func (d *dump) ranking(rk Ranking) {
	var rows [][]string
	for _, r := range rk.Rows {
		rows = append(rows, []string{RankText(r.Rank), r.Name, ScoreText(r.Score.Score), fmt.Sprint(r.Measured), fmt.Sprint(r.Lagging), lingpao.MoveArrow(r.PrevRank, r.Rank)})
	}
	d.table(fmt.Sprintf("综合排名（%d项指标）", rk.Indicators), []string{"排名", "县（市、区）", "综合得分", "指标数", "滞后项", "升降"}, rows)
	names := func(rs []RankRow) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Name)
		}
		return strings.Join(s, "、")
	}
	d.p("红榜：%s", names(rk.Red))
	d.p("黑榜：%s", names(rk.Black))
}

func (d *dump) ladder(l Ladder) {
	var rows [][]string
	for _, r := range l.Rows {
		rows = append(rows, []string{r.Name, r.Item, r.Level.Label(), fmt.Sprint(r.Streak), lingpao.FormatDate(r.Since), r.Reason})
	}
	d.table(fmt.Sprintf("督办清单（%d县，本期升级%d，解除%d）", l.Counties, l.Raised, l.Cleared), []string{"县（市、区）", "事项", "等级", "连续月数", "起始", "事由"}, rows)
}

func (d *dump) reporting(in Input, r lingpao.ReportingRate) {
	var rows [][]string
	for _, c := range r.Counties {
		rows = append(rows, []string{in.Catalog.Tree.Name(c.Org), c.State.Label(), fmt.Sprint(c.Rejected)})
	}
	d.table(fmt.Sprintf("报送情况 %s：应报%d 按时%d 逾期%d 未报%d 退回%d", r.Month.Label(), r.Expected, r.OnTime, r.Late, r.Missing, r.Rejected), []string{"县（市、区）", "状态", "退回"}, rows)
}

func (d *dump) bulletin(in Input, b *Bulletin) {
	d.p("# %s", b.Title)
	d.p("%s｜%s｜%s｜%s", b.Masthead, b.Issue, b.Issuer, b.Date)
	if b.Errata != "" {
		d.paras("更正说明", b.Errata)
	}
	d.paras("总体情况", b.Overview...)
	var rows [][]string
	for _, t := range b.Tables {
		a := t.Total.A
		rows = append(rows, []string{t.Indicator.Name, TargetText(t.Indicator, a), ActualText(t.Indicator, a), CompletionText(a), ExpectedText(a), GapCell(a), a.Status.Label()})
	}
	d.table("主要指标", []string{"指标", "目标", "实际", "完成率", "序时进度", "差距", "状态"}, rows)
	for _, s := range b.Counties {
		d.paras("各县 "+s.Table.Indicator.Name, s.Text)
		d.table(s.Table.Indicator.Name, indicatorHead, indicatorRows(s.Table))
	}
	d.paras("集群", b.ClustersText)
	d.paras("红黑榜", b.RankingText)
	d.ranking(b.Ranking)
	d.paras("督办", b.LadderText)
	d.ladder(b.Ladder)
	d.paras("报送", b.ReportingText)
	d.reporting(in, b.Reporting)
	d.paras("工作要求", b.Requirements...)
	d.paras("说明", b.Note)
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if string(want) != got {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./reports -update if the change is intended)", path, i+1, g, w)
			}
		}
	}
}

func TestGoldenMonthly(t *testing.T) {
	f := reportstest.New(t, lingpao.MonthOf(2025, 9))
	in := f.Input(lingpao.MonthOf(2025, 9))
	mo := BuildMonthly(in)
	var d dump
	d.p("# %s", mo.Title)
	d.paras("总览", mo.Overview...)
	for _, g := range mo.Groups {
		for _, tb := range g.Tables {
			d.table(g.Name+"／"+tb.Indicator.Name, indicatorHead, indicatorRows(tb))
		}
	}
	var rows [][]string
	for _, c := range mo.Clusters {
		r := []string{c.County, c.Cluster.Name}
		for _, code := range ClusterIndicators {
			if v, ok := c.Values[code]; ok {
				r = append(r, lingpao.FormatNumber(v, 2))
			} else {
				r = append(r, "未报送")
			}
		}
		rows = append(rows, r)
	}
	d.table("集群", append([]string{"县", "集群"}, ClusterIndicators...), rows)
	d.ranking(mo.Ranking)
	d.ladder(mo.Ladder)
	d.reporting(in, mo.Reporting)
	rows = nil
	for _, e := range mo.Roster {
		rows = append(rows, []string{e.County, e.Cluster, e.Name, e.USCC, strings.Join(e.Tags, "、")})
	}
	d.table("企业名录", []string{"县", "集群", "企业", "代码", "标签"}, rows)
	rows = nil
	for _, c := range mo.Issues.ByStatus {
		rows = append(rows, []string{c.Label, fmt.Sprint(c.N)})
	}
	d.table("问题台账按状态", []string{"状态", "数量"}, rows)
	d.paras("说明", ProvenanceNote(mo.Provenance, "表"))
	checkGolden(t, "monthly_2025-09.txt", d.String())
}

func TestGoldenBulletin(t *testing.T) {
	f := reportstest.New(t, lingpao.MonthOf(2025, 9))
	in := f.Input(lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3})
	var d dump
	d.bulletin(in, BuildBulletin(in))
	checkGolden(t, "bulletin_2025Q3.txt", d.String())
}

func TestGoldenHalfYear(t *testing.T) {
	f := reportstest.New(t, lingpao.MonthOf(2025, 6))
	in := f.Input(lingpao.Period{Year: 2025, Kind: lingpao.Half, N: 1})
	h := BuildHalfYear(in)
	var d dump
	d.bulletin(in, h.Bulletin)
	d.paras("同比", h.YoYText)
	var rows [][]string
	for _, r := range h.YoY {
		last := "无数据"
		if r.Last.OK {
			last = lingpao.FormatNumber(r.Last.Value, r.Indicator.Decimals)
		}
		rate := Placeholder
		if r.HasRate {
			rate = Pct(r.Rate)
		}
		rows = append(rows, []string{r.Indicator.Name, lingpao.FormatNumber(r.This.Value, r.Indicator.Decimals), last, lingpao.FormatNumber(r.Change, r.Indicator.Decimals), rate})
	}
	d.table("同比", []string{"指标", "本期", "上年同期", "增减", "增幅"}, rows)
	checkGolden(t, "half_2025H1.txt", d.String())
}

func TestGoldenAnnual(t *testing.T) {
	f := reportstest.New(t, lingpao.MonthOf(2024, 12))
	// Two province key clusters in 鹿泉区 and a bonus by decision for 栾城区.
	for i, cl := range f.Catalog.Clusters {
		if cl.Org == "130110" {
			f.Catalog.Clusters[i].ProvinceKey = true
		}
	}
	f.Config.Annual.Bonus = []lingpao.BonusEntry{{Org: "栾城区", Points: 1.5, Reason: "获评省级中小企业特色产业集群"}}
	in := f.Input(lingpao.Period{Year: 2024, Kind: lingpao.Year})
	a := BuildAnnual(in)
	var d dump
	d.p("# %s", a.Title)
	d.paras("考核办法", a.Method...)
	d.paras("考核结果", a.ResultText)
	head := []string{"名次", "县（市、区）"}
	for _, ind := range a.Indicators {
		head = append(head, ind.Name)
	}
	head = append(head, "基础分", "加分", "扣分", "总分", "等次", "加扣分事由")
	var rows [][]string
	for _, s := range a.Scores {
		r := []string{RankText(s.Rank), s.Name}
		for _, ind := range a.Indicators {
			if it, ok := s.Item(ind.Code); ok {
				r = append(r, ScoreText(it.Points))
			} else {
				r = append(r, Placeholder)
			}
		}
		var why []string
		for _, b := range s.Bonuses {
			why = append(why, "+"+b.Reason)
		}
		for _, x := range s.Deductions {
			why = append(why, "−"+x.Reason)
		}
		rows = append(rows, append(r, ScoreText(s.Base), ScoreText(s.Bonus), ScoreText(s.Deduction), ScoreText(s.Total), s.Grade, strings.Join(why, "；")))
	}
	d.table("考核得分", head, rows)
	d.paras("总体情况", a.Overview...)
	d.paras("工作要求", a.Requirements...)
	d.paras("说明", a.Note)
	checkGolden(t, "annual_2024.txt", d.String())
}

func TestGoldenScorecard(t *testing.T) {
	f := reportstest.New(t, lingpao.MonthOf(2025, 9))
	in := f.Input(lingpao.MonthOf(2025, 9))
	var d dump
	for _, sc := range BuildScorecards(in, "130110", "130131") {
		d.p("# %s（%s）", sc.Title, sc.Provenance.PeriodLabel)
		d.paras("概况", sc.Summary)
		var rows [][]string
		for _, l := range sc.Rows {
			a := l.Row.A
			rows = append(rows, []string{l.Indicator.Name, TargetFigure(l.Indicator, a), ActualText(l.Indicator, a), CompletionText(a), ExpectedText(a), GapCell(a), a.Status.Label(), fmt.Sprintf("%s/%d", RankText(a.Rank), l.Of)})
		}
		d.table("指标", []string{"指标", "目标", "实际", "完成率", "序时进度", "差距", "状态", "排名"}, rows)
		d.p("综合：%s 第%s/%d", ScoreText(sc.Standing.Score.Score), RankText(sc.Standing.Rank), sc.Ranked)
		var strip []string
		for _, r := range sc.Reporting {
			strip = append(strip, r.Label+r.Short())
		}
		d.p("报送：%s", strings.Join(strip, " "))
		d.ladder(Ladder{Rows: sc.Ladder})
		d.paras("说明", sc.Note)
	}
	checkGolden(t, "scorecard_2025-09.txt", d.String())
}
