package templates

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports/xlsx"
)

// AnnotationAuthor signs the comments of an annotated copy; a copy dropped back loses its old
// comments before the new ones are added.
const AnnotationAuthor = "lingpao回执"

// Fills of annotated cells.
const (
	annotateError   = "FF8C8C" // red: the file is rejected until this is fixed
	annotateWarning = "FFC000" // orange: accepted; check, and explain in the remark if asked
)

// Annotate writes a copy of the county's own workbook (data, the original bytes) with each cell a
// finding names filled red (errors) or orange (warnings) and a comment on it giving the message.
// Findings about no cell in particular are gathered in a comment on the first cell of the 填报说明
// sheet. Everything else — values, styles, protection, the metadata sheet — is kept, so that the
// county can fix this copy and drop it back in: it still verifies as its template. Comments and fills
// from an earlier annotation of the same workbook are removed first.
func Annotate(w io.Writer, data []byte, findings []lingpao.Finding, lim Limits) (err error) {
	defer lingpao.Wrap(&err, "templates.Annotate")
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("annotate: %v", p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.UnzipSize, UnzipXMLSizeLimit: lim.UnzipXMLSize})
	if err != nil {
		return err
	}
	defer f.Close()
	a := &annotator{f: f, styles: map[string]int{}}
	if err := a.clearOld(); err != nil {
		return err
	}
	type mark struct {
		sheet, cell string
		sev         lingpao.Severity
		msgs        []string
	}
	var marks []*mark
	at := map[string]*mark{}
	var general []string
	sheets := f.GetSheetList()
	for _, fd := range findings {
		cell := strings.ToUpper(fd.Cell)
		if _, _, ok := splitRef(cell); !ok || !contains(sheets, fd.Sheet) {
			general = append(general, fd.Severity.Label()+"："+fd.Message)
			continue
		}
		key := fd.Sheet + "!" + cell
		m := at[key]
		if m == nil {
			m = &mark{sheet: fd.Sheet, cell: cell, sev: fd.Severity}
			at[key] = m
			marks = append(marks, m)
		}
		if fd.Severity == lingpao.SevError {
			m.sev = lingpao.SevError
		}
		m.msgs = append(m.msgs, fd.Severity.Label()+"："+fd.Message)
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].sheet < marks[j].sheet })
	for _, m := range marks {
		color := annotateWarning
		if m.sev == lingpao.SevError {
			color = annotateError
		}
		if err := a.fill(m.sheet, m.cell, color); err != nil {
			return err
		}
		if err := a.comment(m.sheet, m.cell, strings.Join(m.msgs, "\n")); err != nil {
			return err
		}
	}
	if len(general) > 0 && contains(sheets, SheetGuide) {
		if err := a.comment(SheetGuide, "A1", "本文件的问题（不对应具体单元格）：\n"+strings.Join(general, "\n")); err != nil {
			return err
		}
	}
	if err := xlsx.SetDimensions(f); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

type annotator struct {
	f *excelize.File
	// styles caches the restyled variant of each base style and fill colour.
	styles map[string]int
}

// clearOld removes the comments of an earlier annotation and the fills that went with them.
func (a *annotator) clearOld() error {
	for _, sh := range a.f.GetSheetList() {
		cs, err := a.f.GetComments(sh)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Author != AnnotationAuthor {
				continue
			}
			if err := a.f.DeleteComment(sh, c.Cell); err != nil {
				return err
			}
			if err := a.restyle(sh, c.Cell, excelize.Fill{}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *annotator) fill(sheet, cell, color string) error {
	return a.restyle(sheet, cell, excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}})
}

// restyle gives a cell its own style with another fill, keeping font, format, borders and protection.
func (a *annotator) restyle(sheet, cell string, fill excelize.Fill) error {
	id, err := a.f.GetCellStyle(sheet, cell)
	if err != nil {
		return err
	}
	key := fmt.Sprint(id, fill.Color)
	nid, ok := a.styles[key]
	if !ok {
		st, err := a.f.GetStyle(id)
		if err != nil {
			return err
		}
		st.Fill = fill
		if nid, err = a.f.NewStyle(st); err != nil {
			return err
		}
		a.styles[key] = nid
	}
	return a.f.SetCellStyle(sheet, cell, cell, nid)
}

func (a *annotator) comment(sheet, cell, text string) error {
	_ = a.f.DeleteComment(sheet, cell) // a county's own comment on the cell gives way to ours
	lines := 1 + strings.Count(text, "\n") + len([]rune(text))/28
	return a.f.AddComment(sheet, excelize.Comment{
		Author: AnnotationAuthor, Cell: cell,
		Paragraph: []excelize.RichTextRun{{Text: text, Font: &excelize.Font{Size: 10, Family: "宋体"}}},
		Width:     320, Height: uint(min(40+lines*15, 400)),
	})
}
