package templates_test

import (
	"fmt"
	"testing"

	"lingpao"
	"lingpao/templates"
)

// BenchmarkReadRoster reads a return whose roster lists n enterprises (the template's roster prefill
// writes them): the cost of a county's file grows with its roster, streamed row by row.
func BenchmarkReadRoster(b *testing.B) {
	cat := catalog(b)
	for _, n := range []int{100, 3000} {
		roster := make([]lingpao.Enterprise, n)
		for i := range roster {
			c, _ := lingpao.USCCCheck(fmt.Sprintf("91130132MA%07d", i))
			roster[i] = lingpao.Enterprise{Name: fmt.Sprintf("元氏第%d装备有限公司", i), USCC: fmt.Sprintf("91130132MA%07d%c", i, c), Cluster: "130132-01", Tags: []string{lingpao.TagSRDI}}
		}
		data := template(b, cat, "元氏县", roster)
		b.Run(fmt.Sprintf("enterprises=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				ret, _, err := templates.Read(data, "x.xlsx", cat, testSecret, templates.DefaultLimits())
				if err != nil || ret == nil || len(ret.Enterprises) != n {
					b.Fatalf("read: %v", err)
				}
			}
		})
	}
}
