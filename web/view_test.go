package web

import (
	"strings"
	"testing"

	"lingpao"
)

func TestCleanFileName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2025-03_赞皇县.xlsx", "2025-03_赞皇县.xlsx"},
		{`C:\Users\县里\桌面\2025-03_赞皇县.xlsx`, "2025-03_赞皇县.xlsx"},
		{"../../../evil.xlsx", "evil.xlsx"},
		{"/etc/passwd", "passwd"},
		{"~$2025-03.xlsx", "2025-03.xlsx"},
		{".hidden.xlsx", "hidden.xlsx"},
		{"a\x00b\r\n.xlsx", "ab.xlsx"},
		{`报表<1>:"?*|.xlsx`, "报表1.xlsx"},
		{".xlsx", "网页上传.xlsx"},
		{"..", "网页上传"},
		{strings.Repeat("很", 120) + ".xlsx", strings.Repeat("很", 95) + ".xlsx"},
	} {
		if got := cleanFileName(tc.in); got != tc.want {
			t.Errorf("cleanFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/submissions?period=2025-03", "/submissions?period=2025-03"},
		{"/", "/"},
		{"", "/"},
		{"//evil.example/", "/"},
		{`/\evil.example`, "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/ok\r\nSet-Cookie: x=1", "/"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumbersAsPagesShowThem(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{pct(0.816), "81.6%"},
		{pct(1), "100.0%"},
		{pp(6.6), "+6.6"},
		{pp(-22.34), "−22.3"},
		{pp(0.04), "0.0"},
		{pp(-0.04), "0.0"},
		{signed(5), "+5"},
		{signed(-0.5), "−0.5"},
		{signed(0), "0"},
		{size(812), "812 B"},
		{size(15 << 10), "15.0 KB"},
		{size(3 << 20), "3.0 MB"},
		{link("/submissions", lingpao.MonthOf(2025, 3), "org", "130110", "status", ""), "/submissions?org=130110&period=2025-03"},
		{link("/", lingpao.Period{}), "/"},
		{statusClass(lingpao.StatusFarBehind), "st-far-behind"},
		{shortName("新增专精特新中小企业（本年累计）"), "新增专精特新中小企业"},
		{shortName("“领跑者”企业研发投入占比"), "领跑者企业研发投入占比"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
