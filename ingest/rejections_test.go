package ingest_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/ingest"
	"lingpao/internal/tooltest"
	"lingpao/sqlite"
	"lingpao/templates"
)

// convert saves data as another format through LibreOffice (xls, ods) and returns the bytes.
func convert(t *testing.T, data []byte, format string) []byte {
	t.Helper()
	tooltest.Need(t, "soffice", "libreoffice-calc-nogui")
	dir := t.TempDir()
	src := filepath.Join(dir, "in.xlsx")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", format, "--outdir", dir, src)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	return readFile(t, filepath.Join(dir, "in."+format))
}

func reedit(t *testing.T, data []byte, fn func(f *excelize.File), opts ...excelize.Options) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn(f)
	var out bytes.Buffer
	if err := f.Write(&out, opts...); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestMixedBatch drops every kind of bad file the issue names beside good files into one inbox: each
// bad file is rejected with its own plain-Chinese reason and a receipt in its county's folder, and the
// good files are accepted in the same pass.
func TestMixedBatch(t *testing.T) {
	w, _ := workspace(t)
	good := filledReturn(t, w, "鹿泉区", nil)
	future := func() []byte {
		u, _ := w.Catalog.Tree.Find("元氏县")
		var buf bytes.Buffer
		spec := templates.Spec{Org: u, Period: lingpao.MonthOf(2025, 12), Deadline: time.Now(), Generated: time.Now(), Secret: w.Config.Secret}
		if err := templates.Generate(&buf, w.Catalog, spec); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	bomb := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
			f, _ := zw.Create(name)
			f.Write([]byte("<x/>"))
		}
		f, _ := zw.Create("xl/worksheets/sheet1.xml")
		zero := make([]byte, 1<<20)
		for i := 0; i < 300; i++ {
			f.Write(zero)
		}
		zw.Close()
		return buf.Bytes()
	}()
	corrupt := append([]byte(nil), good...)
	for i := len(corrupt) / 3; i < len(corrupt)/3+64; i++ {
		corrupt[i] ^= 0x5A
	}
	plain := func() []byte {
		var b bytes.Buffer
		excelize.NewFile().WriteTo(&b)
		return b.Bytes()
	}()
	files := []struct {
		path, rule string
		data       []byte
		want       string // what the receipt must say to do
	}{
		{"鹿泉区/2025-09_鹿泉区.xlsx", "", good, ""},
		{"栾城区/2025-09_栾城区.xlsx", "", filledReturn(t, w, "栾城区", nil), ""},
		{"元氏县/a_空文件.xlsx", "file.empty", nil, "重新保存"},
		{"元氏县/b_旧格式.xls", "file.xls", convert(t, good, "xls"), "另存为"},
		{"元氏县/c_wps.et", "file.et", convert(t, filledReturn(t, w, "元氏县", nil), "xls"), "WPS"},
		{"元氏县/d_ods.xlsx", "file.ods", convert(t, good, "ods"), "另存为"},
		{"元氏县/e_加密.xlsx", "file.encrypted", reedit(t, good, func(*excelize.File) {}, excelize.Options{Password: "123"}), "取消密码"},
		{"元氏县/f_截断.xlsx", "file.truncated", good[:len(good)/2], "完整"},
		{"元氏县/g_损坏.xlsx", "file.corrupt", corrupt, "重新保存"},
		{"元氏县/h_炸弹.xlsx", "file.bomb", bomb, "重新填报"},
		{"元氏县/i_表格.xlsx", "file.csv", []byte("集群,营业收入\n元氏装备制造,12\n"), ".xlsx"},
		{"元氏县/j_新建.xlsx", "meta.missing", plain, "下发的"},
		{"元氏县/k_旧版.xlsx", "meta.version", reedit(t, filledReturn(t, w, "元氏县", nil), func(f *excelize.File) { f.SetCellValue(templates.SheetMeta, "B1", "2024.3") }), "最新模板"},
		{"元氏县/2025-09_鹿泉区.xlsx", "placement.folder", filledReturn(t, w, "鹿泉区", nil), "本单位"},
		{"鹿泉区/2025-08_鹿泉区.xlsx", "placement.period", filledReturn(t, w, "鹿泉区", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "C5", 11) }), "本期模板"},
		{"栾城区/2025-09_正定县.xlsx", "placement.name", filledReturn(t, w, "栾城区", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "C5", 12) }), "核对"},
		{"元氏县/l_下期.xlsx", "placement.future", future, "本期"},
		{"元氏县/m_删列.xlsx", "structure.column", reedit(t, filledReturn(t, w, "元氏县", nil), func(f *excelize.File) { f.RemoveCol(templates.SheetClusters, "F") }), "不要删除列"},
		{"元氏县/n_改名.xlsx", "structure.sheet", reedit(t, filledReturn(t, w, "元氏县", nil), func(f *excelize.File) { f.SetSheetName(templates.SheetClusters, "Sheet1") }), "改回「集群指标」"},
	}
	for _, f := range files {
		drop(t, w, f.path, f.data)
	}
	res := pass(t, w.Ingester())
	if len(res) != len(files) {
		t.Fatalf("%d results for %d files", len(res), len(files))
	}
	by := map[string]ingest.Result{}
	for _, r := range res {
		by[r.Path] = r
	}
	for _, f := range files {
		s := by[f.path].Submission
		if f.rule == "" {
			if s.Status != lingpao.SubAccepted {
				t.Errorf("%s: %s %+v", f.path, s.Status, s.Findings)
			}
			continue
		}
		if s.Status != lingpao.SubRejected || len(s.Findings) == 0 || s.Findings[0].Rule != f.rule {
			t.Errorf("%s: %s %+v, want rejected for %s", f.path, s.Status, s.Findings, f.rule)
			continue
		}
		// The receipt is in the county's folder, names the file and says what to do.
		dir := ingest.ReceiptDir(w.Config, w.Catalog, s)
		if filepath.Base(dir) != strings.Split(f.path, "/")[0] {
			t.Errorf("%s: receipt in %s", f.path, dir)
		}
		txt := string(readFile(t, filepath.Join(dir, ingest.ReceiptBase(s)+".txt")))
		if !strings.HasPrefix(txt, "【已退回】") || !strings.Contains(txt, filepath.Base(f.path)) || !strings.Contains(txt, f.want) {
			t.Errorf("%s: receipt %q lacks %q", f.path, txt, f.want)
		}
		var rj struct {
			Status   string
			Findings []lingpao.Finding
		}
		if err := json.Unmarshal(readFile(t, filepath.Join(dir, ingest.ReceiptBase(s)+".json")), &rj); err != nil || rj.Status != "rejected" || rj.Findings[0].Rule != f.rule {
			t.Errorf("%s: json receipt %+v %v", f.path, rj, err)
		}
		if _, err := os.Stat(filepath.Join(dir, ingest.ReceiptBase(s)+".xlsx")); err != nil {
			t.Errorf("%s: %v", f.path, err)
		}
	}
	if left, _ := filepath.Glob(w.Config.Path(lingpao.InboxDir, "*", "*")); len(left) != 0 {
		t.Errorf("inbox left %v", left)
	}
}

// TestGrowingFileWaitsForTwoStablePolls: a file is read only when neither its size nor its mtime changed between two
// polls, so a copy in progress — or a file rewritten in place — is never read half-way.
func TestGrowingFileWaitsForTwoStablePolls(t *testing.T) {
	w, _ := workspace(t)
	b := filledReturn(t, w, "鹿泉区", nil)
	in := w.Ingester()
	path := w.Config.Path(lingpao.InboxDir, "鹿泉区", "x.xlsx")
	poll := func() []ingest.Result {
		res, err := in.Poll(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	drop(t, w, "鹿泉区/x.xlsx", b[:len(b)/3])
	for _, step := range []func(){
		func() { drop(t, w, "鹿泉区/x.xlsx", b[:len(b)*2/3]) }, // still growing
		func() { // same size, rewritten: a new mtime
			os.WriteFile(path, append(b[:len(b)*2/3-1:len(b)*2/3-1], 'x'), 0o644)
			os.Chtimes(path, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
		},
		func() { drop(t, w, "鹿泉区/x.xlsx", b) }, // complete
	} {
		if res := poll(); len(res) != 0 {
			t.Fatalf("a changing file was read: %+v", res)
		}
		step()
	}
	if res := poll(); len(res) != 0 {
		t.Fatalf("read on first sight of its final size: %+v", res)
	}
	res := poll()
	if len(res) != 1 || res[0].Submission.Status != lingpao.SubAccepted {
		t.Fatalf("stable file: %+v", res)
	}
}

// TestMovedAfterWrongFolder: a file rejected only because it sat in another county's folder (or
// carried another county's name) is accepted once moved as its receipt asks — same bytes and all.
func TestMovedAfterWrongFolder(t *testing.T) {
	w, now := workspace(t)
	b := filledReturn(t, w, "鹿泉区", nil)
	drop(t, w, "元氏县/2025-09_鹿泉区.xlsx", b)
	first := pass(t, w.Ingester())[0].Submission
	if first.Status != lingpao.SubRejected || first.Findings[0].Rule != "placement.folder" {
		t.Fatalf("first: %s %+v", first.Status, first.Findings)
	}
	txt := string(readFile(t, filepath.Join(ingest.ReceiptDir(w.Config, w.Catalog, first), ingest.ReceiptBase(first)+".txt")))
	if !strings.Contains(ingest.ReceiptDir(w.Config, w.Catalog, first), "元氏县") || !strings.Contains(txt, "放入本单位的文件夹") {
		t.Errorf("the dropper's receipt: %s %q", ingest.ReceiptDir(w.Config, w.Catalog, first), txt)
	}
	*now = now.Add(time.Hour)
	drop(t, w, "鹿泉区/2025-09_鹿泉区.xlsx", b)
	res := pass(t, w.Ingester())
	if len(res) != 1 || res[0].Duplicate || res[0].Submission.Status != lingpao.SubAccepted || res[0].Submission.Version != 1 {
		t.Fatalf("moved: %+v", res)
	}
	subs, err := w.Store.FindSubmissions(t.Context(), sqlite.SubmissionFilter{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions %+v %v, want the one accepted", subs, err)
	}
	// A file rejected for its content stays a duplicate wherever it goes.
	bad := filledReturn(t, w, "栾城区", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "C5", "约12") })
	drop(t, w, "鹿泉区/x.xlsx", bad)
	pass(t, w.Ingester())
	drop(t, w, "栾城区/x.xlsx", bad)
	if res := pass(t, w.Ingester()); len(res) != 1 || !res[0].Duplicate || res[0].Submission.Status != lingpao.SubRejected {
		t.Errorf("content rejection moved: %+v", res)
	}
}
