package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports/xlsx"
)

// unidentified is the receipts folder for files that name no county and sit in no county folder.
const unidentified = "未识别单位"

// ReceiptDir returns the folder a submission's receipt goes to: the county's folder under receipts/,
// else the inbox sub-folder it came from, else 未识别单位.
func ReceiptDir(cfg lingpao.Config, cat *lingpao.Catalog, s lingpao.Submission) string {
	switch {
	case s.Org != "":
		return cfg.Path(lingpao.ReceiptsDir, cat.Tree.Name(s.Org))
	case s.Folder != "":
		return cfg.Path(lingpao.ReceiptsDir, s.Folder)
	}
	return cfg.Path(lingpao.ReceiptsDir, unidentified)
}

// ReceiptBase returns the common file-name stem of a submission's receipt files.
func ReceiptBase(s lingpao.Submission) string {
	stem := strings.TrimSuffix(s.FileName, filepath.Ext(s.FileName))
	return fmt.Sprintf("%s_回执_%s", stem, s.ReceivedAt.In(lingpao.Beijing).Format("20060102-150405"))
}

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

// writeReceipts writes the receipt files of s atomically — a one-line .txt, a .json of the findings
// and an .xlsx listing them — and records that they exist.
func (in *Ingester) writeReceipts(ctx context.Context, s lingpao.Submission) error {
	dir := ReceiptDir(in.Config, in.Catalog, s)
	base := filepath.Join(dir, ReceiptBase(s))
	line := Summary(in.Catalog, s)
	if err := lingpao.WriteFileBytesAtomic(base+".txt", []byte(line+"\r\n")); err != nil {
		return err
	}
	nerr, nwarn := count(s.Findings)
	rj := receiptJSON{Submission: s.ID, File: s.FileName, SHA256: s.SHA256, Org: s.Org, ReceivedAt: s.ReceivedAt.Format("2006-01-02T15:04:05-07:00"),
		Status: string(s.Status), Version: s.Version, Errors: nerr, Warnings: nwarn, Summary: line, Findings: s.Findings}
	if rj.Findings == nil {
		rj.Findings = []lingpao.Finding{}
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
	if err := lingpao.WriteFileAtomic(base+".xlsx", func(w io.Writer) error { return findingsWorkbook(w, line, s) }); err != nil {
		return err
	}
	return in.Store.MarkReceiptWritten(ctx, s.ID)
}

// findingsWorkbook writes the receipt workbook: the summary line, then one row per finding.
func findingsWorkbook(w io.Writer, line string, s lingpao.Submission) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "回执"
	f.SetSheetName("Sheet1", sh)
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Family: "宋体"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "宋体"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	wrap, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	errStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Bold: true, Color: "C00000"}, Alignment: &excelize.Alignment{Vertical: "top"}})
	warnStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Bold: true, Color: "C65911"}, Alignment: &excelize.Alignment{Vertical: "top"}})
	f.SetCellValue(sh, "A1", line)
	f.MergeCell(sh, "A1", "G1")
	f.SetCellStyle(sh, "A1", "G1", title)
	f.SetRowHeight(sh, 1, 48)
	heads := []string{"序号", "类别", "工作表", "单元格", "填报内容", "规则", "说明及修改方法"}
	for i, h := range heads {
		c, _ := excelize.CoordinatesToCellName(i+1, 3)
		f.SetCellValue(sh, c, h)
	}
	f.SetCellStyle(sh, "A3", "G3", head)
	for i, fd := range s.Findings {
		r := 4 + i
		row := []any{i + 1, fd.Severity.Label(), fd.Sheet, fd.Cell, fd.Value, fd.Rule, fd.Message}
		for j, v := range row {
			c, _ := excelize.CoordinatesToCellName(j+1, r)
			f.SetCellValue(sh, c, v)
		}
		f.SetCellStyle(sh, fmt.Sprintf("A%d", r), fmt.Sprintf("G%d", r), wrap)
		st := warnStyle
		if fd.Severity == lingpao.SevError {
			st = errStyle
		}
		f.SetCellStyle(sh, fmt.Sprintf("B%d", r), fmt.Sprintf("B%d", r), st)
	}
	if len(s.Findings) == 0 {
		f.SetCellValue(sh, "A4", "无错误和警告。")
	}
	for col, wd := range map[string]float64{"A": 6, "B": 7, "C": 10, "D": 8, "E": 16, "F": 18, "G": 70} {
		f.SetColWidth(sh, col, col, wd)
	}
	f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"})
	if err := xlsx.SetDimensions(f); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}
