package demo

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports/xlsx"
	"lingpao/templates"
)

// rosterHead is how many rows the roster sheet has above its first enterprise: title, header and the
// hidden code row.
const rosterHead = 3

// streamedWorkbook is workbook for large rosters: the guide, cluster sheet and issue ledger are filled
// cell by cell, and the roster is written with a StreamWriter — its head rows copied from the
// template with their styles, every enterprise row after them — so that a return of thousands of
// enterprises is written in one pass without building the sheet in memory.
func (g *generator) streamedWorkbook(fl filled, generated time.Time) ([]byte, error) {
	f, err := g.filledTemplate(fl, generated)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := xlsx.SetDimensions(f, templates.SheetRoster); err != nil {
		return nil, err
	}
	if err := g.streamRoster(f, fl); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// streamRoster rewrites the roster sheet with a StreamWriter: the dimension first, then the
// template's head rows as they were (values, styles, heights, the hidden code row, the merged title),
// then one row per enterprise. Cells take their column's style, as cells typed in Excel do.
func (g *generator) streamRoster(f *excelize.File, fl filled) error {
	const sh = templates.SheetRoster
	var cols []templates.Column
	for _, s := range g.layout.Sheets {
		if s.Name == sh {
			cols = s.Columns
		}
	}
	if len(cols) == 0 {
		return fmt.Errorf("demo: no %s in the template contract", sh)
	}
	type headRow struct {
		cells  []any
		height float64
		hidden bool
	}
	head := make([]headRow, rosterHead)
	for r := 1; r <= rosterHead; r++ {
		h := &head[r-1]
		for c := 1; c <= len(cols); c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			v, err := f.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
			if err != nil {
				return err
			}
			st, err := f.GetCellStyle(sh, ref)
			if err != nil {
				return err
			}
			var cell any
			if v != "" || st != 0 {
				cell = excelize.Cell{StyleID: st, Value: v}
			}
			h.cells = append(h.cells, cell)
		}
		h.height, _ = f.GetRowHeight(sh, r)
		visible, _ := f.GetRowVisible(sh, r)
		h.hidden = !visible
	}
	merged, err := f.GetMergeCells(sh, true)
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), rosterHead+max(1, len(fl.roster)))
	if err := f.SetSheetDimension(sh, "A1:"+last); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	for i, h := range head {
		opts := excelize.RowOpts{Hidden: h.hidden}
		if h.height != 15 {
			opts.Height = h.height
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), h.cells, opts); err != nil {
			return err
		}
	}
	for _, m := range merged {
		if err := sw.MergeCell(m.GetStartAxis(), m.GetEndAxis()); err != nil {
			return err
		}
	}
	names := map[string]string{}
	for _, c := range fl.clusters {
		names[c.Code] = c.Name
	}
	row := make([]any, len(cols))
	for i, e := range fl.roster {
		for j, c := range cols {
			var v any
			switch c.Code {
			case "seq":
				v = i + 1
			case lingpao.FieldName:
				v = e.Name
			case lingpao.FieldUSCC:
				v = e.USCC
			case lingpao.FieldCluster:
				v = names[e.Cluster]
			case lingpao.FieldRevenue:
				if e.Revenue != nil {
					v = *e.Revenue
				}
			case lingpao.FieldRnD:
				if e.RnD != nil {
					v = *e.RnD
				}
			default:
				for _, t := range e.Tags {
					if c.Code == "tag:"+t {
						v = "是"
					}
				}
			}
			row[j] = v
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", rosterHead+1+i), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
