package templates_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"lingpao/templates"
)

func TestParseNumber(t *testing.T) {
	const (
		num     = templates.CellNumber
		missing = templates.CellMissing
		invalid = templates.CellInvalid
		noted   = templates.CellNoted
	)
	tests := []struct {
		in, unit string
		v        float64
		st       templates.CellState
		problem  string
	}{
		{"1234", "家", 1234, num, ""},
		{"1,234", "家", 1234, num, ""},
		{"1,234,567.25", "亿元", 1234567.25, num, ""},
		{"１２３", "家", 123, num, ""},
		{"１，２３４．５", "亿元", 1234.5, num, ""},
		{" 12 ", "家", 12, num, ""},
		{"\u00a012\u200b\u3000", "家", 12, num, ""},
		{"'123", "家", 123, num, ""},
		{"+5", "家", 5, num, ""},
		{"－５", "家", -5, num, ""},
		{"1E3", "家", 1000, num, ""},
		{".5", "亿元", 0.5, num, ""},
		{"0.30000000000000004", "亿元", 0.3, num, ""},
		{"10.000000000000002", "家", 10, num, ""},
		{"12.5%", "%", 12.5, num, ""},
		{"12.5 ％", "%", 12.5, num, ""},
		{"12.5", "%", 12.5, num, ""},
		{"", "家", 0, missing, ""},
		{"—", "家", 0, missing, ""},
		{"-", "家", 0, missing, ""},
		{"——", "家", 0, missing, ""},
		{" / ", "家", 0, missing, ""},
		{"12亿", "亿元", 12, noted, "unit"},
		{"12.5 亿元", "亿元", 12.5, noted, "unit"},
		{"3家", "家", 3, noted, "unit"},
		{"12.5%", "家", 0, invalid, "percent"},
		{"12亿", "家", 0, invalid, "unit"},
		{"12万", "亿元", 0, invalid, "unit"},
		{"约120", "亿元", 0, invalid, "approximate"},
		{"约120亿", "亿元", 0, invalid, "approximate"},
		{"120左右", "家", 0, invalid, "approximate"},
		{"100以上", "家", 0, invalid, "approximate"},
		{"120余", "家", 0, invalid, "approximate"},
		{"≈5", "家", 0, invalid, "approximate"},
		{"12+", "家", 0, invalid, "approximate"},
		{"10-12", "家", 0, invalid, "range"},
		{"5~6", "家", 0, invalid, "range"},
		{"5至6家", "家", 0, invalid, "range"},
		{"(120)", "亿元", 0, invalid, "negative_parens"},
		{"（120）", "亿元", 0, invalid, "negative_parens"},
		{"1,23", "家", 0, invalid, "number"},
		{"12,5", "亿元", 0, invalid, "number"},
		{"1 234", "家", 0, invalid, "number"},
		{"一百二十", "家", 0, invalid, "chinese"},
		{"无", "家", 0, invalid, "words"},
		{"abc", "家", 0, invalid, "number"},
		{"12.5.1", "家", 0, invalid, "number"},
		{"2025-09-12", "家", 0, invalid, "number"},
		{"1e999", "家", 0, invalid, "number"},
		{"#DIV/0!", "家", 0, invalid, "number"},
	}
	for _, tt := range tests {
		got := templates.ParseNumber(tt.in, tt.unit)
		if got.State != tt.st || got.Value != tt.v || got.Problem != tt.problem {
			t.Errorf("ParseNumber(%q, %q) = %v %v %q (%s), want %v %v %q", tt.in, tt.unit, got.Value, got.State, got.Problem, got.Reason, tt.v, tt.st, tt.problem)
		}
		if (got.State == invalid || got.State == noted) && got.Reason == "" {
			t.Errorf("ParseNumber(%q): no reason given", tt.in)
		}
	}
}

// FuzzParseNumber checks the parser's promises on any text: it never panics; a number read is finite,
// keeps 15 significant digits and reads back the same; surrounding spaces change nothing; blank is
// never a number; an invalid or noted cell always says why.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1,234", "１２３", " 12 ", "12.5%", "—", "约120", "120左右", "12亿", "(120)", "10-12", "'7", "1E3", "0.1", "一百"} {
		f.Add(s, "家")
		f.Add(s, "%")
		f.Add(s, "亿元")
	}
	f.Fuzz(func(t *testing.T, s, unit string) {
		got := templates.ParseNumber(s, unit)
		switch got.State {
		case templates.CellNumber, templates.CellNoted:
			if math.IsNaN(got.Value) || math.IsInf(got.Value, 0) {
				t.Fatalf("ParseNumber(%q) = %v", s, got.Value)
			}
			again := templates.ParseNumber(strconv.FormatFloat(got.Value, 'g', -1, 64), unit)
			if again.State != templates.CellNumber || again.Value != got.Value {
				t.Fatalf("ParseNumber(%q) = %v, which reads back as %v %v", s, got.Value, again.Value, again.State)
			}
			if got.State == templates.CellNoted && got.Reason == "" {
				t.Fatalf("ParseNumber(%q): noted without a reason", s)
			}
		case templates.CellMissing:
			if got.Value != 0 {
				t.Fatalf("ParseNumber(%q): missing with value %v", s, got.Value)
			}
		case templates.CellInvalid:
			if got.Reason == "" || got.Problem == "" {
				t.Fatalf("ParseNumber(%q): invalid without a reason", s)
			}
		default:
			t.Fatalf("ParseNumber(%q): state %v", s, got.State)
		}
		if strings.TrimSpace(s) == "" && got.State != templates.CellMissing {
			t.Fatalf("ParseNumber(%q) = %v, want missing", s, got.State)
		}
		if padded := templates.ParseNumber(" \t"+s+"\u3000 ", unit); padded != got {
			t.Fatalf("ParseNumber(%q) = %+v but with spaces around %+v", s, got, padded)
		}
	})
}
