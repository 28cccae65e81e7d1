package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"lingpao"
	"lingpao/reports/xlsx"
	"lingpao/sqlite"
	"lingpao/templates"
)

// unidentified is the receipts folder for files that name no county and sit in no county folder.
const unidentified = "未识别单位"

// ReceiptDir returns the folder a submission's receipt goes to: that of the county whose inbox
// sub-folder the file was dropped in — where whoever dropped it looks, even when the template is
// another county's — else the county of its metadata, else 未识别单位.
func ReceiptDir(cfg lingpao.Config, cat *lingpao.Catalog, s lingpao.Submission) string {
	if s.Folder != "" {
		if u, err := cat.Tree.Find(s.Folder); err == nil {
			return cfg.Path(lingpao.ReceiptsDir, u.Name)
		}
	}
	switch {
	case s.Org != "":
		return cfg.Path(lingpao.ReceiptsDir, cat.Tree.Name(s.Org))
	case s.Folder != "":
		return cfg.Path(lingpao.ReceiptsDir, s.Folder)
	}
	return cfg.Path(lingpao.ReceiptsDir, unidentified)
}

// ReceiptBase returns the common file-name stem of a submission's receipt files. A dropped-back
// annotated copy ("…_回执_20251008-100000_批注.xlsx") answers under its original stem, not a longer
// and longer one.
func ReceiptBase(s lingpao.Submission) string {
	return fmt.Sprintf("%s_回执_%s", originalStem(s.FileName), s.ReceivedAt.In(lingpao.Beijing).Format("20060102-150405"))
}

// AnnotatedSuffix ends the name of a receipt's annotated copy of the county's workbook.
const AnnotatedSuffix = "_批注.xlsx"

var receiptSuffix = regexp.MustCompile(`(_回执_\d{8}-\d{6}(_批注)?)+$`)

// originalStem returns a file's name without extension and without the suffix of an annotated copy.
func originalStem(name string) string {
	stem := strings.TrimSuffix(name, filepath.Ext(name))
	if s := receiptSuffix.ReplaceAllString(stem, ""); s != "" {
		return s
	}
	return stem
}

// annotates reports whether a submission's receipt includes an annotated copy of its workbook: when
// the file was read as a template (it has a period) and something was found.
func annotates(s lingpao.Submission) bool { return !s.Period.IsZero() && len(s.Findings) > 0 }

// receiptJSON is the machine-readable receipt.
type receiptJSON struct {
	Submission int64             `json:"submission"`
	File       string            `json:"file"`
	SHA256     string            `json:"sha256"`
	Org        string            `json:"org,omitempty"`
	OrgName    string            `json:"org_name,omitempty"`
	Period     string            `json:"period,omitempty"`
	ReceivedAt string            `json:"received_at"`
	Status     string            `json:"status"`
	Version    int               `json:"version,omitempty"`
	Errors     int               `json:"errors"`
	Warnings   int               `json:"warnings"`
	Summary    string            `json:"summary"`
	Findings   []lingpao.Finding `json:"findings"`
	// Annotated names the annotated copy of the county's workbook, when there is one.
	Annotated string `json:"annotated,omitempty"`
	// Changes lists what differs from the version this one supersedes.
	Changes []changeJSON `json:"changes,omitempty"`
}

// changeJSON is one change in the receipt, named for people.
type changeJSON struct {
	Sheet string `json:"sheet"`
	Cell  string `json:"cell,omitempty"`
	Item  string `json:"item"`
	Old   any    `json:"old"`
	New   any    `json:"new"`
	Kind  string `json:"kind"`
}

// Summary returns the receipt's one line in plain Chinese.
func Summary(cat *lingpao.Catalog, s lingpao.Submission) string {
	nerr, nwarn := count(s.Findings)
	who := "未识别单位"
	if s.Org != "" {
		who = cat.Tree.Name(s.Org)
	}
	what := who
	if !s.Period.IsZero() {
		what += " " + s.Period.Label() + " 报表"
	}
	at := s.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04")
	if s.Status == lingpao.SubAccepted {
		line := fmt.Sprintf("【已受理】%s（文件 %s，第 %d 版）已于 %s 受理", what, s.FileName, s.Version, at)
		if s.Version > 1 {
			line += "，替代此前报送的版本"
		}
		if nwarn > 0 {
			return line + fmt.Sprintf("；有 %d 条警告，请查看同名回执 .xlsx 并在备注中补充情况说明。", nwarn)
		}
		return line + "，无错误和警告。"
	}
	if nerr == 1 {
		return fmt.Sprintf("【已退回】%s（文件 %s）于 %s 收到，未受理：%s", what, s.FileName, at, firstError(s.Findings))
	}
	return fmt.Sprintf("【已退回】%s（文件 %s）于 %s 收到，有 %d 处错误，未受理：请按同名回执 .xlsx 逐条修改后重新放入收件箱。第一处：%s", what, s.FileName, at, nerr, firstError(s.Findings))
}

func count(fs []lingpao.Finding) (nerr, nwarn int) {
	for _, f := range fs {
		if f.Severity == lingpao.SevError {
			nerr++
		} else {
			nwarn++
		}
	}
	return nerr, nwarn
}

// writeReceipts writes the receipt files of s atomically into the county's receipts folder — the
// annotated copy of its workbook (when it was read and something was found), the .xlsx listing the
// findings and the changes from the previous version, the .json, and last the one-line .txt — and
// then records that they exist. Everything comes from the store and the archive, so a pass that
// crashed half-way rewrites the same files.
func (in *Ingester) writeReceipts(ctx context.Context, s lingpao.Submission) error {
	dir := ReceiptDir(in.Config, in.Catalog, s)
	base := filepath.Join(dir, ReceiptBase(s))
	var changes []changeJSON
	if s.Version > 1 {
		cs, err := in.Store.FindChanges(ctx, s.ID)
		if err != nil {
			return err
		}
		changes = describeChanges(in.Catalog, s.Org, cs)
	}
	line := Summary(in.Catalog, s)
	if len(changes) > 0 {
		line += fmt.Sprintf("与上一版相比改动 %d 处，见回执 .xlsx 的“与上一版比较”表。", len(changes))
	}
	annotated := ""
	if annotates(s) {
		data, err := os.ReadFile(ArchivePath(in.Config, s))
		if err != nil {
			return err
		}
		annotated = base + AnnotatedSuffix
		err = lingpao.WriteFileAtomic(annotated, func(w io.Writer) error { return templates.Annotate(w, data, s.Findings, in.limits()) })
		if err != nil {
			return err
		}
		in.checkpoint(StepReceipt)
	}
	if err := lingpao.WriteFileAtomic(base+".xlsx", func(w io.Writer) error { return findingsWorkbook(w, line, s, changes) }); err != nil {
		return err
	}
	in.checkpoint(StepReceipt)
	nerr, nwarn := count(s.Findings)
	rj := receiptJSON{Submission: s.ID, File: s.FileName, SHA256: s.SHA256, Org: s.Org, ReceivedAt: s.ReceivedAt.Format("2006-01-02T15:04:05-07:00"),
		Status: string(s.Status), Version: s.Version, Errors: nerr, Warnings: nwarn, Summary: line, Findings: s.Findings, Changes: changes}
	if rj.Findings == nil {
		rj.Findings = []lingpao.Finding{}
	}
	if annotated != "" {
		rj.Annotated = filepath.Base(annotated)
	}
	if s.Org != "" {
		rj.OrgName = in.Catalog.Tree.Name(s.Org)
	}
	if !s.Period.IsZero() {
		rj.Period = s.Period.String()
	}
	if err := lingpao.WriteFileAtomic(base+".json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rj)
	}); err != nil {
		return err
	}
	in.checkpoint(StepReceipt)
	if annotated != "" {
		line += "请在同名“批注”工作簿中按红色（错误）、橙色（警告）单元格的批注修改，改好后直接放回收件箱。"
	}
	if err := lingpao.WriteFileBytesAtomic(base+".txt", []byte(line+"\r\n")); err != nil {
		return err
	}
	in.checkpoint(StepReceipt)
	if err := in.Store.MarkReceiptWritten(ctx, s.ID); err != nil {
		return err
	}
	in.checkpoint(StepReceiptMark)
	return nil
}

// writeDuplicateNotice answers a file whose bytes were received before under another name: one line
// beside the original receipt. Its name depends only on the file, so a pass that crashed rewrites it.
func (in *Ingester) writeDuplicateNotice(orig lingpao.Submission, folder, name string) error {
	dir := ReceiptDir(in.Config, in.Catalog, orig)
	path := filepath.Join(dir, fmt.Sprintf("%s_回执_重复_%s.txt", originalStem(name), orig.SHA256[:8]))
	what := orig.Status.Label()
	if orig.Status == lingpao.SubAccepted {
		what = fmt.Sprintf("已作为第 %d 版受理", orig.Version)
	}
	line := fmt.Sprintf("【重复】文件 %s 与 %s 报送的“%s”内容完全相同（%s），本次不重复计入：如需更正，请修改后重新报送。", name,
		orig.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), orig.FileName, what)
	if err := lingpao.WriteFileBytesAtomic(path, []byte(line+"\r\n")); err != nil {
		return err
	}
	in.checkpoint(StepReceipt)
	return nil
}

// describeChanges names each change for people: the cluster and indicator, or the enterprise and
// field, with the cell in the later version.
func describeChanges(cat *lingpao.Catalog, org string, cs []sqlite.Change) []changeJSON {
	clusters := map[string]string{}
	for _, c := range cat.ClustersOf(org) {
		clusters[c.Code] = c.Name
	}
	roster := templates.Layout(cat)[lingpao.ScopeRoster].Fields
	fieldName := map[string]string{"tags": "标签"}
	for code, f := range roster {
		fieldName[code] = f.Name
	}
	out := make([]changeJSON, 0, len(cs))
	for _, c := range cs {
		j := changeJSON{Sheet: c.Sheet, Cell: c.Cell, Old: c.Old, New: c.New, Kind: c.Kind}
		switch c.Kind {
		case sqlite.ChangeValue:
			ind, _ := cat.Indicator(c.Field)
			j.Item = clusters[c.Subject] + " · " + ind.Name
		case sqlite.ChangeEnterprise:
			j.Item = c.Subject + " · " + fieldName[c.Field]
			col := roster[c.Field].Column
			if c.Field == "tags" {
				col = roster["tag:"+lingpao.EnterpriseTags[0]].Column
			}
			j.Cell = fmt.Sprintf("%s%d", col, c.Row)
			if c.Field == lingpao.FieldCluster {
				j.Old, j.New = clusterName(clusters, c.Old), clusterName(clusters, c.New)
			}
		case sqlite.ChangeEnterpriseAdded:
			j.Item = fmt.Sprintf("新增企业 %s（%v）", c.Subject, c.New)
			j.Cell = fmt.Sprintf("%s%d", roster[lingpao.FieldName].Column, c.Row)
		case sqlite.ChangeEnterpriseRemoved:
			j.Item = fmt.Sprintf("删除企业 %s（%v，原第 %d 行）", c.Subject, c.Old, c.Row)
		}
		out = append(out, j)
	}
	return out
}

func clusterName(names map[string]string, v any) any {
	if s, ok := v.(string); ok && names[s] != "" {
		return names[s]
	}
	return v
}

// findingsWorkbook writes the receipt workbook: the summary line, then one row per finding; and the
// changes from the previous version on a second sheet. It is a plain workbook (xlsx.WritePlain):
// one is written for every file received.
func findingsWorkbook(w io.Writer, line string, s lingpao.Submission, changes []changeJSON) error {
	const cols = 7
	rows := []*xlsx.PlainRow{{Cells: plainRow(xlsx.PlainTitle, cols, line), Height: 48}, nil,
		{Cells: plainRow(xlsx.PlainHead, cols, "序号", "类别", "工作表", "单元格", "填报内容", "规则", "说明及修改方法")}}
	for i, fd := range s.Findings {
		cells := plainRow(xlsx.PlainWrap, cols, i+1, fd.Severity.Label(), fd.Sheet, fd.Cell, fd.Value, fd.Rule, fd.Message)
		cells[1].Style = xlsx.PlainWarning
		if fd.Severity == lingpao.SevError {
			cells[1].Style = xlsx.PlainError
		}
		rows = append(rows, &xlsx.PlainRow{Cells: cells})
	}
	if len(s.Findings) == 0 {
		rows = append(rows, &xlsx.PlainRow{Cells: []xlsx.PlainCell{{Value: "无错误和警告。"}}})
	}
	sheets := []xlsx.PlainSheet{{Name: "回执", Rows: rows, Merged: []string{"A1:G1"}, Widths: []float64{6, 7, 10, 8, 16, 18, 70}, FreezeRows: 3}}
	if len(changes) > 0 {
		show := func(v any) any {
			switch v := v.(type) {
			case nil:
				return "（空）"
			case string, int, float64:
				return v
			default:
				return fmt.Sprint(v)
			}
		}
		rows := []*xlsx.PlainRow{{Cells: plainRow(xlsx.PlainHead, 5, "工作表", "单元格", "项目", "上一版", "本版")}}
		for _, c := range changes {
			rows = append(rows, &xlsx.PlainRow{Cells: plainRow(xlsx.PlainWrap, 5, c.Sheet, c.Cell, c.Item, show(c.Old), show(c.New))})
		}
		sheets = append(sheets, xlsx.PlainSheet{Name: "与上一版比较", Rows: rows, Widths: []float64{10, 8, 44, 16, 16}, FreezeRows: 1})
	}
	return xlsx.WritePlain(w, sheets)
}

// plainRow returns n cells in style, holding values from the first.
func plainRow(style xlsx.PlainStyle, n int, values ...any) []xlsx.PlainCell {
	cells := make([]xlsx.PlainCell, n)
	for i := range cells {
		cells[i].Style = style
		if i < len(values) {
			cells[i].Value = values[i]
		}
	}
	return cells
}
