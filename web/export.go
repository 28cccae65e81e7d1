package web

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// A table of the page exports as it is shown: one sheet per table, a title line saying what was
// selected and when, the column headers frozen with a filter, then every row of the filter (not only
// the page shown). Numbers stay numbers and times are Excel dates, so the clerk can sort and sum.

// exportTable is one table to export.
type exportTable struct {
	// Sheet names the worksheet (at most 31 characters; cut when longer).
	Sheet string
	// Title heads the sheet: what the table is and which filter selected it.
	Title   string
	Columns []exportColumn
	Rows    [][]any
}

// exportColumn is one column: its header and width in characters (0: from the header and values).
type exportColumn struct {
	Name  string
	Width float64
}

// cols makes columns from their headers.
func cols(names ...string) []exportColumn {
	out := make([]exportColumn, len(names))
	for i, n := range names {
		out[i] = exportColumn{Name: n}
	}
	return out
}

// sendXLSX writes tables as a workbook called name (without .xlsx) and records the download.
func (s *Server) sendXLSX(w http.ResponseWriter, r *http.Request, name string, tables ...exportTable) {
	b, err := s.workbook(tables)
	if err != nil {
		s.error(w, r, err)
		return
	}
	file := safeFileName(name) + ".xlsx"
	w.Header().Set("Content-Type", contentTypes[".xlsx"])
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file}))
	w.Header().Set("Cache-Control", "private, no-store")
	s.audit(r, "download", "导出 "+file)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// workbook renders the tables.
func (s *Server) workbook(tables []exportTable) (_ []byte, err error) {
	defer lingpao.Wrap(&err, "web.workbook")
	f := excelize.NewFile()
	defer f.Close()
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return nil, err
	}
	note, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "666666", Size: 9}})
	if err != nil {
		return nil, err
	}
	border := []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E8EEF5"}, Pattern: 1},
		Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	stamp, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptrTo("yyyy-mm-dd hh:mm")})
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	generated := fmt.Sprintf("%s · 导出时间 %s · lingpao", s.w.City().Name, s.now().In(lingpao.Beijing).Format("2006-01-02 15:04"))
	for i, t := range tables {
		sheet := sheetName(t.Sheet, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return nil, err
		}
		ncol := max(1, len(t.Columns))
		last, _ := excelize.CoordinatesToCellName(ncol, len(t.Rows)+3)
		if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
			return nil, err
		}
		for c, col := range t.Columns {
			width := col.Width
			if width == 0 {
				width = columnWidth(col.Name, t.Rows, c)
			}
			if err := sw.SetColWidth(c+1, c+1, width); err != nil {
				return nil, err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: t.Title}}, excelize.RowOpts{Height: 20}); err != nil {
			return nil, err
		}
		if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: note, Value: fmt.Sprintf("共 %d 行 · %s", len(t.Rows), generated)}}); err != nil {
			return nil, err
		}
		header := make([]any, len(t.Columns))
		for c, col := range t.Columns {
			header[c] = excelize.Cell{StyleID: head, Value: col.Name}
		}
		if err := sw.SetRow("A3", header, excelize.RowOpts{Height: 20}); err != nil {
			return nil, err
		}
		for n, row := range t.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = cellValue(v, stamp)
			}
			addr, _ := excelize.CoordinatesToCellName(1, n+4)
			if err := sw.SetRow(addr, cells); err != nil {
				return nil, err
			}
		}
		if len(t.Columns) > 0 && len(t.Rows) > 0 && uniqueNames(t.Columns) {
			// A table over the rows gives the header its filter buttons.
			if err := sw.AddTable(&excelize.Table{Range: "A3:" + last, Name: fmt.Sprintf("T%d", i+1), StyleName: "TableStyleLight1", ShowRowStripes: ptrTo(false)}); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// uniqueNames reports whether the headers differ (a table needs it).
func uniqueNames(cs []exportColumn) bool {
	seen := map[string]bool{}
	for _, c := range cs {
		if c.Name == "" || seen[c.Name] {
			return false
		}
		seen[c.Name] = true
	}
	return true
}

// cellValue turns a row value into a cell: times as Excel dates in Beijing time, a zero time and nil
// as empty cells, and the rest as they are.
func cellValue(v any, stamp int) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		if x.IsZero() {
			return nil
		}
		local := x.In(lingpao.Beijing)
		return excelize.Cell{StyleID: stamp, Value: time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)}
	case lingpao.Period:
		if x.IsZero() {
			return nil
		}
		return x.Label()
	case fmt.Stringer:
		return x.String()
	}
	return v
}

// columnWidth fits a column to its header and its first rows: CJK characters count double.
func columnWidth(header string, rows [][]any, c int) float64 {
	w := textWidth(header)
	for i, row := range rows {
		if i == 200 {
			break
		}
		if c < len(row) {
			switch x := row[c].(type) {
			case string:
				w = max(w, textWidth(x))
			case time.Time:
				w = max(w, 16)
			}
		}
	}
	return float64(min(max(w+2, 6), 60))
}

func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x2E80 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// sheetName makes a valid, unused worksheet name: no []:*?/\ and at most 31 characters.
func sheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	if name == "" {
		name = "数据"
	}
	for utf8.RuneCountInString(name) > 31 {
		r := []rune(name)
		name = string(r[:31])
	}
	base := name
	for i := 2; used[name]; i++ {
		suffix := fmt.Sprintf("(%d)", i)
		r := []rune(base)
		name = string(r[:min(len(r), 31-len(suffix))]) + suffix
	}
	used[name] = true
	return name
}

// safeFileName keeps a download's name to characters every file system takes.
func safeFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, name)
}

func ptrTo[T any](v T) *T { return &v }
