package xlsx_test

import (
	"os"
	"testing"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports"
	"lingpao/reports/reportstest"
	"lingpao/reports/xlsx"
)

// TestDimensionsAreTheUsedRange: every sheet of every report workbook declares in <dimension> the
// range its cells and merges actually cover — what SetDimensions finds by reading the sheet back —
// so that readers trusting the element (openpyxl's read-only mode) see every row.
func TestDimensionsAreTheUsedRange(t *testing.T) {
	fx := reportstest.New(t, lingpao.MonthOf(2025, 6))
	month := fx.Input(lingpao.MonthOf(2025, 6))
	half := fx.Input(lingpao.Period{Year: 2025, Kind: lingpao.Half, N: 1})
	year := reportstest.New(t, lingpao.MonthOf(2024, 12)).Input(lingpao.Period{Year: 2024, Kind: lingpao.Year})
	books := map[string]func(*os.File) error{
		"monthly.xlsx": func(f *os.File) error { return xlsx.WriteMonthly(f, reports.BuildMonthly(month)) },
		"half.xlsx": func(f *os.File) error {
			return xlsx.WriteHalfYear(f, reports.BuildMonthly(half), reports.BuildHalfYear(half))
		},
		"annual.xlsx": func(f *os.File) error {
			return xlsx.WriteAnnual(f, reports.BuildMonthly(year), reports.BuildAnnual(year))
		},
	}
	for name, fn := range books {
		path := write(t, name, fn)
		got := dimensions(t, path)
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := xlsx.SetDimensions(f); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, sh := range f.GetSheetList() {
			want[sh], _ = f.GetSheetDimension(sh)
		}
		f.Close()
		for sh, d := range want {
			if got[sh] != d {
				t.Errorf("%s「%s」: dimension %s, the cells cover %s", name, sh, got[sh], d)
			}
		}
	}
}

func dimensions(t *testing.T, path string) map[string]string {
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	for _, sh := range f.GetSheetList() {
		out[sh], _ = f.GetSheetDimension(sh)
	}
	return out
}
