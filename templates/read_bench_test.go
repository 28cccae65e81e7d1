package templates_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/bench/floor"
	"lingpao/templates"
)

// filledRoster is a return of n enterprises with every roster column filled — names, codes,
// clusters, tags, revenue and R&D — as a county sends it: strings shared (Excel's way) or inline (a
// streaming writer's).
func filledRoster(b testing.TB, cat *lingpao.Catalog, n int, inline bool) []byte {
	roster := make([]lingpao.Enterprise, n)
	for i := range roster {
		c, _ := lingpao.USCCCheck(fmt.Sprintf("91130132MA%07d", i))
		roster[i] = lingpao.Enterprise{Name: fmt.Sprintf("元氏第%d装备有限公司", i), USCC: fmt.Sprintf("91130132MA%07d%c", i, c), Cluster: "130132-01", Tags: []string{lingpao.TagSRDI}}
	}
	u, _ := cat.Tree.Find("元氏县")
	var buf bytes.Buffer
	spec := templates.Spec{Org: u, Period: lingpao.MonthOf(2025, 9), Deadline: time.Date(2025, 10, 10, 0, 0, 0, 0, lingpao.Beijing),
		Generated: time.Date(2025, 9, 20, 10, 0, 0, 0, lingpao.Beijing), Secret: testSecret}
	if !inline {
		spec.Roster = roster
	}
	if err := templates.Generate(&buf, cat, spec); err != nil {
		b.Fatal(err)
	}
	return edit(b, buf.Bytes(), func(f *excelize.File) {
		f.SetCellValue(templates.SheetGuide, templates.CellContact, "王晓明")
		f.SetCellValue(templates.SheetGuide, templates.CellPhone, "0311-88886666")
		if !inline {
			for i := range roster {
				f.SetCellValue(templates.SheetRoster, fmt.Sprintf("J%d", 4+i), 1000.5+float64(i))
				f.SetCellValue(templates.SheetRoster, fmt.Sprintf("K%d", 4+i), 40.25+float64(i%9))
			}
			return
		}
		// Rewrite the roster through a stream writer: inline strings, no shared string table.
		head, _ := f.GetRows(templates.SheetRoster)
		sw, err := f.NewStreamWriter(templates.SheetRoster)
		if err != nil {
			b.Fatal(err)
		}
		for r := 0; r < 3 && r < len(head); r++ {
			row := make([]any, len(head[r]))
			for i, v := range head[r] {
				row[i] = v
			}
			sw.SetRow(fmt.Sprintf("A%d", r+1), row, excelize.RowOpts{Hidden: r == 2})
		}
		for i, e := range roster {
			sw.SetRow(fmt.Sprintf("A%d", 4+i), []any{i + 1, e.Name, e.USCC, "元氏装备制造", "是", nil, nil, nil, nil, 1000.5 + float64(i), 40.25 + float64(i%9)})
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkRead reads returns of 300 and 3,000 enterprises (a province county and ten times that),
// with shared or inline strings. Besides rows/s it reports x-floor: the time of a read over the time
// of the floor pass (zip + RawToken) over the same bytes, measured in the same run.
func BenchmarkRead(b *testing.B) {
	cat := catalog(b)
	for _, n := range []int{300, 3000} {
		for _, inline := range []bool{false, true} {
			data := filledRoster(b, cat, n, inline)
			strs := map[bool]string{false: "shared", true: "inline"}[inline]
			b.Run(fmt.Sprintf("enterprises=%d/strings=%s", n, strs), func(b *testing.B) {
				start := time.Now()
				const floorRuns = 20
				for range floorRuns {
					if _, err := floor.Scan(data); err != nil {
						b.Fatal(err)
					}
				}
				floor := time.Since(start) / floorRuns
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					ret, fs, err := templates.Read(data, "x.xlsx", cat, testSecret, templates.DefaultLimits())
					if err != nil || ret == nil || len(ret.Enterprises) != n || lingpao.HasErrors(fs) {
						b.Fatalf("read: %v %v", err, fs)
					}
				}
				per := b.Elapsed() / time.Duration(b.N)
				b.ReportMetric(float64(n)/per.Seconds(), "rows/s")
				b.ReportMetric(float64(per)/float64(floor), "x-floor")
			})
		}
	}
}
