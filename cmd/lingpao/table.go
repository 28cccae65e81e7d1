package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/mattn/go-runewidth"
)

// table is a listing as every command prints it: a header, a rule, and rows, in columns aligned by
// their display width — Chinese characters take two columns of a terminal, so padding by bytes or
// runes would push every column after a county's name out of line.
type table struct {
	head  []string
	rows  [][]string
	right []bool
}

func newTable(head ...string) *table {
	return &table{head: head, right: make([]bool, len(head))}
}

// alignRight right-aligns columns (numbers).
func (t *table) alignRight(cols ...int) *table {
	for _, c := range cols {
		t.right[c] = true
	}
	return t
}

// add appends a row; missing cells are empty.
func (t *table) add(cells ...string) {
	t.rows = append(t.rows, cells)
}

// write writes the table, measuring text with width. Trailing spaces are trimmed.
func (t *table) write(w io.Writer, width *runewidth.Condition) error {
	widths := make([]int, len(t.head))
	for _, row := range append([][]string{t.head}, t.rows...) {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], width.StringWidth(c))
			}
		}
	}
	var b strings.Builder
	line := func(row []string, right []bool) {
		var l strings.Builder
		for i := range widths {
			c := ""
			if i < len(row) {
				c = row[i]
			}
			pad := strings.Repeat(" ", widths[i]-width.StringWidth(c))
			if i > 0 {
				l.WriteString("  ")
			}
			if right != nil && right[i] {
				l.WriteString(pad + c)
			} else {
				l.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	line(t.head, nil)
	rule := make([]string, len(widths))
	for i, wd := range widths {
		rule[i] = strings.Repeat("-", wd)
	}
	line(rule, nil)
	for _, row := range t.rows {
		line(row, t.right)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeColumns writes rows as aligned columns without a header (help texts).
func writeColumns(w io.Writer, width *runewidth.Condition, rows [][]string) {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	widths := make([]int, n)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], width.StringWidth(c))
		}
	}
	for _, r := range rows {
		var l strings.Builder
		for i, c := range r {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(c)
			if i < len(r)-1 {
				l.WriteString(strings.Repeat(" ", widths[i]-width.StringWidth(c)))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(l.String(), " "))
	}
}

// displayWidth returns how text is measured: East Asian wide and fullwidth characters take two
// columns. Characters of ambiguous width (“” — × ↑) take one, as terminals on Linux and macOS and
// Windows Terminal draw them, unless RUNEWIDTH_EASTASIAN=1 says otherwise or the legacy Windows
// console runs a CJK code page (936), which draws them two wide.
func displayWidth() *runewidth.Condition {
	c := runewidth.NewCondition()
	switch os.Getenv("RUNEWIDTH_EASTASIAN") {
	case "1":
		c.EastAsianWidth = true
	case "0":
		c.EastAsianWidth = false
	default:
		c.EastAsianWidth = runtime.GOOS == "windows" && runewidth.IsEastAsian()
	}
	return c
}

// writeJSON writes v as indented JSON, leaving <, > and & as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
