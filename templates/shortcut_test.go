package templates

import "testing"

// FuzzNumberShortcuts: normalize's shortcut leaves alone only what fold would not change, and the
// hand-written isPlainNumber accepts exactly what the plainNumber pattern matches.
func FuzzNumberShortcuts(f *testing.F) {
	for _, s := range []string{"", " ", "12", " 12", "12 ", "１２", "鹿泉区", "华恒 科技", "\u3000x", "x\u00a0", "a\u200bb", "1,234.5", "−3", "\xff",
		"+.5", "5.", ".", "-", "1e5", "1E+05", "1e1234", "1e", "0x10", "Inf", "1_000", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if normalized(s) && fold(s) != s {
			t.Errorf("normalize(%q) returns it as it is, but fold gives %q", s, fold(s))
		}
		if got, want := isPlainNumber(s), plainNumber.MatchString(s); got != want {
			t.Errorf("isPlainNumber(%q) = %v, plainNumber matches %v", s, got, want)
		}
	})
}
