package xlsx

import (
	"slices"

	"github.com/xuri/excelize/v2"
)

// SetDimensions writes each sheet's real used range into its <dimension> element. excelize keeps
// ref="A1" for sheets written cell by cell, and readers that trust the element (openpyxl's read-only
// mode, some importers) then see only the first row. Sheets written with a StreamWriter are named in
// streamed and left alone: they must not be touched after Flush, and their writer sets their
// dimension itself (SetSheetDimension before the first row).
func SetDimensions(f *excelize.File, streamed ...string) error {
	for _, sh := range f.GetSheetList() {
		if slices.Contains(streamed, sh) {
			continue
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			return err
		}
		maxRow, maxCol := len(rows), 0
		for _, r := range rows {
			maxCol = max(maxCol, len(r))
		}
		merged, err := f.GetMergeCells(sh)
		if err != nil {
			return err
		}
		for _, m := range merged {
			c, r, err := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err == nil {
				maxRow, maxCol = max(maxRow, r), max(maxCol, c)
			}
		}
		if maxRow == 0 || maxCol == 0 {
			continue
		}
		end, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
		if err := f.SetSheetDimension(sh, "A1:"+end); err != nil {
			return err
		}
	}
	return nil
}
