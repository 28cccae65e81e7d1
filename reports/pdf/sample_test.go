package pdf

import (
	"fmt"
	"math"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// installHint is what a test says when a tool or font it needs is missing: tests never skip.
const installHint = "apt-get install poppler-utils fonts-lxgw-wenkai"

var testFonts struct {
	once  sync.Once
	fonts *Fonts
	err   error
}

// fontsForTest returns the fonts found on this machine, failing the test when there are none.
func fontsForTest(t testing.TB) *Fonts {
	t.Helper()
	testFonts.once.Do(func() { testFonts.fonts, testFonts.err = ResolveFonts("", "") })
	if testFonts.err != nil {
		t.Fatalf("no CJK font (%v); %s", testFonts.err, installHint)
	}
	return testFonts.fonts
}

// needTool fails the test when a poppler tool is missing.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: %s", name, installHint)
	}
	return p
}

var counties = []string{
	"长安区", "桥西区", "新华区", "井陉矿区", "裕华区", "藁城区", "鹿泉区", "栾城区", "井陉县", "正定县", "行唐县", "灵寿县",
	"高邑县", "深泽县", "赞皇县", "无极县", "平山县", "元氏县", "赵县", "辛集市", "晋州市", "新乐市", "高新区", "经开区",
}

var clusters = []string{"电子信息", "装备制造", "医药", "特色食品", "医药化工", "农机配件", "绿色新涂料", "光伏", "新能源"}

// sampleParagraphs are long Chinese paragraphs mixing digits and Latin, varied so that lines wrap
// at many different characters — punctuation, digits, brackets, quotes.
func sampleParagraphs(n int) []string {
	var out []string
	for i := range n {
		c := counties[i%len(counties)]
		k := clusters[i%len(clusters)]
		out = append(out, fmt.Sprintf(
			"截至%d月底，%s%s集群专精特新中小企业达到%d家，完成年度目标的%.1f%%，超序时进度%.1f个百分点；"+
				"“领跑者”企业新增%d家（其中规上工业企业%d家），集群营业收入%s亿元，同比增长%.1f%%，"+
				"R&D投入占比%.2f%%。%s下一步要对照《石家庄市县域特色产业集群“领跑者”企业培育行动方案》，"+
				"抓好“一群一策”，推动%d个重点项目尽快达产……",
			9-i%3, c, k, 612-i*7, 81.6-float64(i)*1.3, 6.6-float64(i)*0.9,
			12+i, 3+i%5, groupThousands(1234.56+float64(i)*101.5), 8.2+float64(i%4)*0.7,
			3.5-float64(i%3)*0.25, strings.Repeat("其中，", i%3), 5+i))
	}
	return out
}

func groupThousands(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac
}

// sampleTable is a 60-row progress table whose last column wraps.
func sampleTable() TableSpec {
	s := TableSpec{
		Title: "表1 各县（市、区）专精特新中小企业培育进度（截至2025年9月底）",
		Columns: []Column{
			{Header: "序号", Width: 9}, {Header: "县（市、区）", Width: 24}, {Header: "目标（家）", Width: 15},
			{Header: "完成（家）", Width: 15}, {Header: "完成率", Width: 15}, {Header: "差距", Width: 13},
			{Header: "状态", Width: 20}, {Header: "主要问题", Width: 45},
		},
		ZebraFill: Hex(0xF6F6F6),
	}
	statuses := []struct {
		label string
		color Color
	}{{"超序时", ColorAhead}, {"基本同步", ColorOnTrack}, {"滞后", ColorBehind}, {"严重滞后", ColorFarBehind}, {"未报送", ColorMissing}}
	for i := range 60 {
		st := statuses[i%len(statuses)]
		target := 20 + i%17
		done := target * (60 + i%45) / 100
		rate := 100 * float64(done) / float64(target)
		problem := ""
		switch i % 4 {
		case 0:
			problem = fmt.Sprintf("“小升规”企业%d家未完成入库，需加快培育。", 1+i%3)
		case 1:
			problem = "研发投入占比偏低，低于全市平均0.8个百分点；数字化改造项目推进较慢（2项未开工）。"
		case 2:
			problem = "—"
		case 3:
			problem = fmt.Sprintf("%s、%s两个园区用地指标不足，影响%d个项目落地。", counties[(i+3)%24], counties[(i+5)%24], 2+i%4)
		}
		row := Row(fmt.Sprint(i+1), counties[i%24], fmt.Sprint(target), fmt.Sprint(done),
			fmt.Sprintf("%.1f%%", rate), fmt.Sprintf("%+.1f", rate-75), st.label, problem)
		row[6].Color = st.color
		s.Rows = append(s.Rows, row)
		var rs RowStyle
		if st.label == "严重滞后" {
			rs = RowStyle{Fill: ColorFarBehind.Tint(0.88)}
		}
		s.RowStyles = append(s.RowStyles, rs)
	}
	return s
}

// sampleChart is a chart of the 24 counties' completion against 序时进度.
func sampleChart() ChartSpec {
	ref := 75.0
	s := ChartSpec{
		Title:          "图1 各县（市、区）年度目标完成率",
		Labels:         counties,
		Reference:      &ref,
		ReferenceLabel: "序时进度",
		Unit:           "%",
		Legend: []LegendEntry{
			{"超序时", ColorAhead}, {"基本同步", ColorOnTrack}, {"滞后", ColorBehind}, {"严重滞后", ColorFarBehind},
		},
	}
	for i := range counties {
		v := 40 + math.Mod(float64(i)*37.3, 88)
		if i == 5 {
			v = math.NaN()
		}
		s.Values = append(s.Values, v)
		var c Color
		switch gap := v - ref; {
		case gap >= 5:
			c = ColorAhead
		case gap >= -5:
			c = ColorOnTrack
		case gap >= -15:
			c = ColorBehind
		default:
			c = ColorFarBehind
		}
		s.BarColors = append(s.BarColors, c)
	}
	return s
}

// sampleDoc is the test bulletin, and what must be read back from it.
type sampleDoc struct {
	doc        *Doc
	texts      []string // headings and paragraphs, in order
	table      TableSpec
	tablePages []int // the pages the table is on
}

func buildSample(t testing.TB, f *Fonts, paragraphs int) *sampleDoc {
	t.Helper()
	d, err := New(f, Options{
		Title: "石家庄市县域特色产业集群工作简报 2025年第9期", Author: "石家庄市工业和信息化局", Creator: "lingpao test",
		Subject: "季度通报", Keywords: "县域特色产业集群,季度通报",
		CreationDate: time.Date(2025, 10, 15, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		Footer:       true,
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &sampleDoc{doc: d}
	d.TitleBlock(TitleBlockSpec{
		Masthead: "石家庄市县域特色产业集群工作简报",
		Issue:    "第9期",
		Unit:     "石家庄市县域特色产业集群工作专班办公室",
		Date:     "2025年10月15日",
		Title:    "关于2025年三季度全市县域特色产业集群“领跑者”企业培育工作进展情况的通报",
	})
	heading := func(text string, level int) {
		d.Heading(text, level)
		s.texts = append(s.texts, text)
	}
	para := func(text string) {
		d.Paragraph(text, ParagraphStyle{Indent: 2})
		s.texts = append(s.texts, text)
	}
	d.KeyValues([][2]string{
		{"数据截止时间", "2025年10月10日 18:00"},
		{"报送情况", "应报24个，实报23个，按时22个，迟报1个，未报送1个（藁城区）"},
		{"数据版本", "各县（市、区）2025年9月最新有效报送；lingpao v0.1.0"},
	})
	ps := sampleParagraphs(paragraphs)
	heading("一、总体进展", 1)
	for _, p := range ps[:len(ps)/2] {
		para(p)
	}
	heading("二、各县（市、区）进展情况", 1)
	heading("（一）专精特新中小企业培育", 2)
	for _, p := range ps[len(ps)/2:] {
		para(p)
	}
	d.Note("注：完成率＝（本期实际值－基期值）÷（年度目标－基期值）；序时进度按月均匀分布计算。数据来源：各县（市、区）月度报送。")

	s.table = sampleTable()
	d.PageBreak()
	first := d.PageCount()
	d.Table(s.table)
	for p := first; p <= d.PageCount(); p++ {
		s.tablePages = append(s.tablePages, p)
	}
	d.PageBreak()
	d.BarChart(sampleChart())
	heading("三、下一步工作", 1)
	para("各县（市、区）要对标序时进度，逐项梳理滞后指标，于10月25日前报送整改措施；市专班将对连续两个月严重滞后的县（市、区）开展约谈。")
	// The distribution block that closes a 简报 stays together.
	if d.Remaining() < 40 {
		d.PageBreak()
	}
	d.Spacer(12)
	d.Rule(Black)
	d.KeyValues([][2]string{
		{"报", "市委、市政府领导同志"},
		{"送", "省工业和信息化厅，市委办公室、市政府办公室"},
		{"发", "各县（市、区）人民政府，高新区、经开区管委会，市直有关部门"},
	})
	d.Rule(Black)
	return s
}
