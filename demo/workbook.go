package demo

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/templates"
)

// generator writes synthetic returns for one workspace.
type generator struct {
	cat    *lingpao.Catalog
	cfg    lingpao.Config
	seed   uint64
	cal    *lingpao.Calendar
	layout templates.Contract
	// perCounty is about how many enterprises each county lists (province-scale runs); 0 keeps the
	// city demo's five to ten per cluster.
	perCounty int
}

func templatesLayout(cat *lingpao.Catalog) templates.Contract { return templates.Describe(cat) }

func (g *generator) columns(sheet string) map[string]string {
	for _, s := range g.layout.Sheets {
		if s.Name == sheet {
			out := map[string]string{}
			for _, c := range s.Columns {
				out[c.Code] = c.Letter
			}
			return out
		}
	}
	return nil
}

// mutation changes a filled return before it is written (to plant errors in the demo).
type mutation func(f *excelize.File)

// workbook generates the county's template and fills it the way a county clerk would.
func (g *generator) workbook(fl filled, generated time.Time, muts ...mutation) ([]byte, error) {
	f, err := g.filledTemplate(fl, generated)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rc := g.columns(templates.SheetRoster)
	names := map[string]string{}
	for _, c := range fl.clusters {
		names[c.Code] = c.Name
	}
	for i, e := range fl.roster {
		row := 4 + i
		set := func(code string, v any) { f.SetCellValue(templates.SheetRoster, fmt.Sprintf("%s%d", rc[code], row), v) }
		set("seq", i+1)
		set("name", e.Name)
		set("uscc", e.USCC)
		set("cluster", names[e.Cluster])
		for _, t := range e.Tags {
			set("tag:"+t, "是")
		}
		if e.Revenue != nil {
			set("revenue", *e.Revenue)
		}
		if e.RnD != nil {
			set("rnd", *e.RnD)
		}
	}
	for _, m := range muts {
		m(f)
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// filledTemplate generates the county's template and fills in what every writer of a return fills
// the same way: the contact on the guide, the cluster figures and remarks, the issue ledger. The
// roster is left to the caller (cell by cell, or streamed).
func (g *generator) filledTemplate(fl filled, generated time.Time) (*excelize.File, error) {
	var tpl bytes.Buffer
	spec := templates.Spec{Org: fl.org, Period: fl.month, Deadline: g.cal.Deadline(fl.month, g.cfg.DeadlineDay), Generated: generated, Secret: g.cfg.Secret, IssuingUnit: g.cfg.IssuingUnit}
	if err := templates.Generate(&tpl, g.cat, spec); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		return nil, err
	}
	f.SetCellValue(templates.SheetGuide, templates.CellContact, fl.contact)
	f.SetCellValue(templates.SheetGuide, templates.CellPhone, fl.phone)
	cc := g.columns(templates.SheetClusters)
	for i, c := range fl.clusters {
		row := 5 + i
		for code, v := range fl.values[c.Code] {
			if col, ok := cc[code]; ok {
				f.SetCellValue(templates.SheetClusters, fmt.Sprintf("%s%d", col, row), v)
			}
		}
		if r := fl.remarks[c.Code]; r != "" {
			f.SetCellValue(templates.SheetClusters, fmt.Sprintf("%s%d", cc["remark"], row), r)
		}
	}
	for i, is := range fl.issues {
		row := 4 + i
		vals := []any{i + 1, is.Description, is.Category, is.Enterprise, is.Department, is.Status, is.Raised, is.Closed}
		for j, v := range vals {
			c, _ := excelize.CoordinatesToCellName(j+1, row)
			f.SetCellValue(templates.SheetIssues, c, v)
		}
	}
	return f, nil
}
