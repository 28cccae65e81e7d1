package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

func TestDisplayWidth(t *testing.T) {
	narrow, wide := &runewidth.Condition{}, &runewidth.Condition{EastAsianWidth: true}
	for s, want := range map[string][2]int{
		"abc": {3, 3}, "鹿泉区": {6, 6}, "8至10家": {7, 7}, "《方案》（石政办函〔2022〕44号）": {32, 32},
		"“领跑者”": {8, 10}, "—": {1, 2}, "ｌｉｎｇ": {8, 8}, "ｶﾅ": {2, 2},
	} {
		if got := narrow.StringWidth(s); got != want[0] {
			t.Errorf("narrow width of %q = %d, want %d", s, got, want[0])
		}
		if got := wide.StringWidth(s); got != want[1] {
			t.Errorf("East Asian width of %q = %d, want %d", s, got, want[1])
		}
	}
	t.Setenv("RUNEWIDTH_EASTASIAN", "1")
	if !displayWidth().EastAsianWidth {
		t.Error("RUNEWIDTH_EASTASIAN=1 is not honoured")
	}
	t.Setenv("RUNEWIDTH_EASTASIAN", "0")
	t.Setenv("LANG", "zh_CN.UTF-8")
	if displayWidth().EastAsianWidth {
		t.Error("RUNEWIDTH_EASTASIAN=0 is not honoured")
	}
	t.Setenv("RUNEWIDTH_EASTASIAN", "")
	if runtime.GOOS != "windows" && displayWidth().EastAsianWidth {
		t.Error("a zh_CN.UTF-8 locale made ambiguous characters wide: UTF-8 terminals draw them narrow")
	}
}

// Every column of a table starts at the same display column on every line, whatever mix of
// Chinese, Latin, fullwidth and ambiguous characters the cells hold, in either width convention;
// numbers are right-aligned.
func TestTableAlignsByDisplayWidth(t *testing.T) {
	rows := [][]string{
		{"石家庄经开区/2025-09_石家庄经开区.xlsx", "石家庄经开区", "2025-09", "已受理（第1版）", "0", "12"},
		{"赵县/a.xlsx", "赵县", "—", "重复：2025-10-09 09:00 已收到（第1版）", "3", "0"},
		{"inbox.xlsx", "—", "—", "已退回", "10", "1"},
		{"“领跑者”名单.xlsx", "ＡＢＣ", "2025Q3", "", "", ""},
	}
	for _, width := range []*runewidth.Condition{{}, {EastAsianWidth: true}} {
		tb := newTable("文件", "单位", "期间", "结果", "错误", "警告").alignRight(4, 5)
		for _, r := range rows {
			tb.add(r...)
		}
		var out bytes.Buffer
		if err := tb.write(&out, width); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != len(rows)+2 {
			t.Fatalf("%d lines:\n%s", len(lines), out.String())
		}
		// The rule under the header gives each column's start and width.
		var starts, ends []int
		col := 0
		for i, f := range strings.Split(lines[1], "  ") {
			if i > 0 {
				col += 2
			}
			starts = append(starts, col)
			col += len(f)
			ends = append(ends, col)
		}
		if len(starts) != 6 {
			t.Fatalf("rule %q", lines[1])
		}
		for li, l := range append([]string{lines[0]}, lines[2:]...) {
			cells := rows[0]
			if li == 0 {
				cells = []string{"文件", "单位", "期间", "结果", "错误", "警告"}
			} else {
				cells = rows[li-1]
			}
			from := 0 // cells are searched for left to right
			for c, cell := range cells {
				if cell == "" {
					continue
				}
				i := from + strings.Index(l[from:], cell)
				from = i + len(cell)
				got := width.StringWidth(l[:i])
				want := starts[c]
				if li > 0 && c >= 4 { // right-aligned: ends at the column's end
					got += width.StringWidth(cell)
					want = ends[c]
				}
				if got != want {
					t.Errorf("EastAsian=%v line %d cell %q at %d, want %d:\n%s", width.EastAsianWidth, li, cell, got, want, out.String())
				}
			}
			if strings.HasSuffix(l, " ") {
				t.Errorf("line %d ends with spaces: %q", li, l)
			}
		}
	}
}
