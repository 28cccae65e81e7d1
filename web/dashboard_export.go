package web

import "net/http"

// dashboardExport writes the dashboard's tables as a workbook: each county's reporting, the city's
// headline indicators, and the county × indicator heat-map with each cell's completion and status.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request, v dashboardView) {
	month := v.Month.Label()
	rep := exportTable{Sheet: "报送情况", Title: "报送情况（" + month + "）", Columns: cols("单位", "状态", "首次收到", "当前版本", "退回次数")}
	for _, c := range v.Counties {
		version := any(nil)
		if c.Version > 0 {
			version = c.Version
		}
		rep.Rows = append(rep.Rows, []any{c.Name, c.State.Label(), c.Received, version, c.Rejected})
	}
	head := exportTable{Sheet: "主要指标", Title: "全市主要指标（" + month + "）", Columns: cols("指标", "目标", "实际", "完成率", "序时进度", "差距（百分点）", "状态")}
	for _, h := range v.Headline {
		head.Rows = append(head.Rows, []any{h.Name, h.Target, h.Actual, h.Completion, h.Expected, h.Gap, h.Status.Label()})
	}
	heatCols := []exportColumn{{Name: "单位"}}
	for _, c := range v.Heat.Columns {
		heatCols = append(heatCols, exportColumn{Name: c.Name})
	}
	heat := exportTable{Sheet: "指标进度", Title: "各县（市、区）指标完成率（" + month + "，括号内为对照序时进度的状态）", Columns: heatCols}
	for _, row := range append([]heatRow{v.Heat.Total}, v.Heat.Rows...) {
		cells := []any{row.Name}
		for _, c := range row.Cells {
			cells = append(cells, c.Text+"（"+c.Status.Label()+"）")
		}
		heat.Rows = append(heat.Rows, cells)
	}
	s.sendXLSX(w, r, "工作台_"+month, rep, head, heat)
}
