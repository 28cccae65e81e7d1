package templates_test

import (
	"archive/zip"
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/templates"
)

func TestReadBack(t *testing.T) {
	cat := catalog(t)
	data := edit(t, template(t, cat, "元氏县", nil), func(f *excelize.File) {
		f.SetCellValue(templates.SheetGuide, "C9", "王晓明")
		f.SetCellValue(templates.SheetGuide, "C10", "0311-84561234")
		f.SetCellValue(templates.SheetClusters, "C5", 123.45)
		f.SetCellValue(templates.SheetClusters, "E5", 80)
		f.SetCellValue(templates.SheetClusters, "F5", 12)
		f.SetCellValue(templates.SheetClusters, "G5", "—")
		f.SetCellValue(templates.SheetClusters, "X5", "新认定 2 家")
		f.SetCellValue(templates.SheetClusters, "C6", "45.5")
		f.SetCellValue(templates.SheetClusters, "E6", 30)
		f.SetCellValue(templates.SheetRoster, "B4", "元氏华恒装备有限公司")
		f.SetCellValue(templates.SheetRoster, "C4", "91130132ma07l2xk3u")
		f.SetCellValue(templates.SheetRoster, "D4", "元氏装备制造")
		f.SetCellValue(templates.SheetRoster, "E4", "是")
		f.SetCellValue(templates.SheetRoster, "G4", "√")
		f.SetCellValue(templates.SheetRoster, "J4", 5000)
		f.SetCellValue(templates.SheetRoster, "K4", 150.5)
		f.SetCellValue(templates.SheetIssues, "B4", "用地指标不足")
		f.SetCellValue(templates.SheetIssues, "F4", "交办")
		f.SetCellValue(templates.SheetIssues, "G4", "2025年9月3日")
	})
	ret, fs := read(t, cat, data, "2025-09_元氏县.xlsx")
	if ret == nil || len(fs) != 0 {
		t.Fatalf("read: %+v, findings %v", ret, fs)
	}
	if ret.Org != "130132" || ret.Period != lingpao.MonthOf(2025, 9) || ret.Contact != "王晓明" || ret.Phone != "0311-84561234" {
		t.Errorf("identity: %s %s %s %s", ret.Org, ret.Period, ret.Contact, ret.Phone)
	}
	type v struct {
		cluster, ind, cell string
		v                  float64
	}
	var got []v
	for _, x := range ret.Values {
		got = append(got, v{x.Cluster, x.Indicator, x.Cell, x.V})
	}
	want := []v{{"130132-01", "revenue_ytd", "C5", 123.45}, {"130132-01", "above_scale", "E5", 80}, {"130132-01", "srdi_sme", "F5", 12},
		{"130132-02", "revenue_ytd", "C6", 45.5}, {"130132-02", "above_scale", "E6", 30}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(v{})); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if len(ret.Clusters) != 2 || ret.Clusters[0].Remark != "新认定 2 家" || ret.Clusters[1].Row != 6 {
		t.Errorf("cluster rows: %+v", ret.Clusters)
	}
	rev, rnd := 5000.0, 150.5
	wantE := []lingpao.Enterprise{{Name: "元氏华恒装备有限公司", USCC: "91130132MA07L2XK3U", Cluster: "130132-01", Tags: []string{lingpao.TagLeader, lingpao.TagLittleGiant}, Revenue: &rev, RnD: &rnd, Row: 4}}
	if diff := cmp.Diff(wantE, ret.Enterprises); diff != "" {
		t.Errorf("roster (-want +got):\n%s", diff)
	}
	if len(ret.Issues) != 1 || ret.Issues[0].Raised != "2025-09-03" || ret.Issues[0].Status != "交办" {
		t.Errorf("issues: %+v", ret.Issues)
	}
}

func TestStructureEdits(t *testing.T) {
	cat := catalog(t)
	tpl := template(t, cat, "元氏县", nil)
	tests := []struct {
		name      string
		edit      func(f *excelize.File)
		rule      string
		sheet     string
		fragments []string
	}{
		{"deleted column", func(f *excelize.File) { f.RemoveCol(templates.SheetClusters, "F") },
			"structure.column", templates.SheetClusters, []string{"「专精特新中小企业数」列（原第 F 列）被删除了"}},
		{"inserted column", func(f *excelize.File) { f.InsertCols(templates.SheetClusters, "E", 1) },
			"structure.column", templates.SheetClusters, []string{"在第 E 列（「规上工业企业数」之前）插入了一列"}},
		{"moved column", func(f *excelize.File) {
			// Cut column K and paste it before E, as Excel's "insert cut cells" does.
			var col []string
			for r := 1; r <= 6; r++ {
				v, _ := f.GetCellValue(templates.SheetClusters, "K"+strconv.Itoa(r))
				col = append(col, v)
			}
			f.RemoveCol(templates.SheetClusters, "K")
			f.InsertCols(templates.SheetClusters, "E", 1)
			for r, v := range col {
				f.SetCellValue(templates.SheetClusters, "E"+strconv.Itoa(r+1), v)
			}
		}, "structure.column", templates.SheetClusters, []string{"「规上工业企业数」列被移动到了第 F 列"}},
		{"deleted roster column", func(f *excelize.File) { f.RemoveCol(templates.SheetRoster, "C") },
			"structure.column", templates.SheetRoster, []string{"「统一社会信用代码」列（原第 C 列）被删除了"}},
		{"deleted code row", func(f *excelize.File) { f.RemoveRow(templates.SheetClusters, 4) },
			"structure.column", templates.SheetClusters, []string{"第 4 行（隐藏的列标识行）被删除或清空"}},
		{"renamed sheet", func(f *excelize.File) { f.SetSheetName(templates.SheetRoster, "企业名单") },
			"structure.sheet", "企业名单", []string{"「企业名录」被改名为「企业名单」", "改回「企业名录」"}},
		{"deleted sheet", func(f *excelize.File) { f.DeleteSheet(templates.SheetIssues) },
			"structure.sheet", "", []string{"缺少工作表「问题台账」"}},
		{"deleted cluster row", func(f *excelize.File) { f.RemoveRow(templates.SheetClusters, 6) },
			"cluster.missing", templates.SheetClusters, []string{"缺少集群「元氏医药化工」所在的行"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ret, fs := read(t, cat, edit(t, tpl, tt.edit), "x.xlsx")
			if ret != nil && !lingpao.HasErrors(fs) {
				t.Fatalf("edited file read without errors")
			}
			if len(fs) == 0 || fs[0].Rule != tt.rule || fs[0].Sheet != tt.sheet {
				t.Fatalf("findings %+v, want first %s on %q", fs, tt.rule, tt.sheet)
			}
			for _, frag := range tt.fragments {
				if !strings.Contains(fs[0].Message, frag) {
					t.Errorf("message %q lacks %q", fs[0].Message, frag)
				}
			}
		})
	}
	// An extra sheet is noted, not rejected.
	ret, fs := read(t, cat, edit(t, tpl, func(f *excelize.File) { f.NewSheet("草稿") }), "x.xlsx")
	if ret == nil || len(fs) != 1 || fs[0].Rule != "sheet.extra" || fs[0].Severity != lingpao.SevWarning {
		t.Errorf("extra sheet: %v %+v", ret != nil, fs)
	}
}

// zipOf builds a zip from name → content pairs.
func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFileKinds(t *testing.T) {
	cat := catalog(t)
	tpl := template(t, cat, "鹿泉区", nil)
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	encrypted := func() []byte {
		f, err := excelize.OpenReader(bytes.NewReader(tpl))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var b bytes.Buffer
		if err := f.Write(&b, excelize.Options{Password: "123456"}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}()
	corrupt := append([]byte(nil), tpl...)
	for i := len(corrupt) / 3; i < len(corrupt)/3+64; i++ {
		corrupt[i] ^= 0x5A // damage compressed data inside the zip, keep its directory
	}
	bomb := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
			w, _ := zw.Create(name)
			w.Write([]byte("<x/>"))
		}
		w, _ := zw.Create("xl/worksheets/sheet1.xml")
		zero := make([]byte, 1<<20)
		for i := 0; i < 64; i++ {
			w.Write(zero)
		}
		zw.Close()
		return buf.Bytes()
	}()
	tests := []struct {
		name string
		file string
		data []byte
		rule string
	}{
		{"empty", "a.xlsx", nil, "file.empty"},
		{"xls", "a.xls", ole, "file.xls"},
		{"xls named xlsx", "a.xlsx", ole, "file.xls"},
		{"et", "a.et", ole, "file.et"},
		{"encrypted", "a.xlsx", encrypted, "file.encrypted"},
		{"csv", "a.xlsx", []byte("集群,营业收入\n鹿泉电子信息,12.5\n"), "file.csv"},
		{"gbk csv", "a.csv", []byte{0xbc, 0xaf, 0xc8, 0xba, ',', '1', '2', '\n'}, "file.csv"},
		{"binary", "a.xlsx", []byte{0x89, 'P', 'N', 'G', 0, 0, 1, 2}, "file.unknown"},
		{"ods", "a.xlsx", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>"), "file.ods"},
		{"docx", "a.xlsx", zipOf(t, "[Content_Types].xml", "<x/>", "word/document.xml", "<x/>"), "file.not_xlsx"},
		{"other zip", "a.xlsx", zipOf(t, "readme.txt", "hi"), "file.not_xlsx"},
		{"truncated", "a.xlsx", tpl[:len(tpl)*2/3], "file.truncated"},
		{"corrupt", "a.xlsx", corrupt, "file.corrupt"},
		{"bomb", "a.xlsx", bomb, "file.bomb"},
		{"not our template", "a.xlsx", func() []byte {
			var b bytes.Buffer
			excelize.NewFile().WriteTo(&b)
			return b.Bytes()
		}(), "meta.missing"},
		{"old version", "a.xlsx", edit(t, tpl, func(f *excelize.File) { f.SetCellValue(templates.SheetMeta, "B1", "2024.3") }), "meta.version"},
		{"edited metadata", "a.xlsx", edit(t, tpl, func(f *excelize.File) { f.SetCellValue(templates.SheetMeta, "B4", "2025-08") }), "meta.hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ret, fs := read(t, cat, tt.data, tt.file)
			if ret != nil || len(fs) != 1 || fs[0].Rule != tt.rule || fs[0].Severity != lingpao.SevError || fs[0].Message == "" {
				t.Fatalf("got %v %+v, want one %s error", ret != nil, fs, tt.rule)
			}
		})
	}
	// Another workspace's key: the hash fails.
	if _, fs, _ := templates.Read(tpl, "a.xlsx", cat, strings.Repeat("ab", 32), templates.DefaultLimits()); len(fs) != 1 || fs[0].Rule != "meta.hash" {
		t.Errorf("foreign key: %+v", fs)
	}
}
