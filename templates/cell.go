package templates

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// cellKind is what a stored cell holds once its formula, if any, is resolved.
type cellKind int

const (
	kindNumber cellKind = iota
	kindText
	kindBool
	kindError
	kindDate // an ISO 8601 date cell (t="d")
	kindUncalculated
)

// resolve returns a cell's value and kind, calculating a formula that has no cached value.
func (r *reader) resolve(sheet string, c *xcell) (string, cellKind) {
	if !c.cached() {
		v, err := r.evaluate(sheet, c.ref())
		switch {
		case err != nil && strings.HasPrefix(err.Error(), "#"):
			return err.Error(), kindError // the formula's own error value: #DIV/0!, #REF!…
		case err != nil:
			return "", kindUncalculated // e.g. a function excelize does not implement: not the county's fault
		case strings.HasPrefix(v, "#"):
			return v, kindError
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return v, kindNumber
		}
		return v, kindText
	}
	switch c.typ {
	case "b":
		if strings.TrimSpace(c.text) == "1" {
			return "TRUE", kindBool
		}
		return "FALSE", kindBool
	case "e":
		return c.text, kindError
	case "d":
		return c.text, kindDate
	case "s", "str", "inlineStr":
		return c.text, kindText
	}
	return c.text, kindNumber
}

// text returns a cell's content as text (a number as stored, a boolean as TRUE/FALSE).
func (r *reader) text(sheet string, c *xcell) string {
	v, _ := r.resolve(sheet, c)
	return v
}

// number reads a numeric cell of column col. Blank or a dash is not reported (false, no finding); a
// cell that cannot be read exactly is reported with what to do (false); the column's unit typed after
// the number is read and noted.
func (r *reader) number(sheet string, c *xcell, col Column, rowName string) (float64, bool) {
	raw, kind := r.resolve(sheet, c)
	if kind == kindNumber && r.b.class(c.style) == numPlain {
		// The usual cell: a plain number, read without building any message.
		if n := ParseNumber(raw, col.Unit); n.State == CellNumber {
			return n.Value, true
		}
	}
	what := fmt.Sprintf("「%s」%s", rowName, col.Name)
	switch kind {
	case kindUncalculated:
		r.bad("cell.formula", sheet, c.ref(), "", what+"：公式无法计算：请把该单元格改为直接填写数值。")
		return 0, false
	case kindError:
		r.bad("cell.formula_error", sheet, c.ref(), raw, fmt.Sprintf("%s：公式结果是错误值 %s：请改正公式，或直接填写数值。", what, raw))
		return 0, false
	case kindBool:
		r.bad("cell.number", sheet, c.ref(), raw, fmt.Sprintf("%s：填的是逻辑值 %s，不是数字：请填写数字。", what, raw))
		return 0, false
	case kindDate:
		r.bad("cell.date_format", sheet, c.ref(), raw, what+"：单元格是日期，不是数字：请把单元格格式改为“常规”或“数值”后重新填写数字。")
		return 0, false
	case kindNumber:
		switch r.b.class(c.style) {
		case numDate:
			r.bad("cell.date_format", sheet, c.ref(), raw, what+"：单元格是日期格式（Excel 可能把“9-12”之类的输入自动变成了日期）：请把单元格格式改为“常规”或“数值”后重新填写数字。")
			return 0, false
		case numPercent:
			if col.Unit != "%" {
				r.bad("cell.percent", sheet, c.ref(), raw, fmt.Sprintf("%s：单元格是百分比格式（%s 会显示为 %s%%），而本列单位是“%s”：请把单元格格式改为“常规”后按表头单位填写数字。", what, raw, lingpao.NumberText(excelPrecision(parseOr0(raw)*100)), col.Unit))
				return 0, false
			}
			n := ParseNumber(raw, col.Unit)
			if n.State == CellNumber {
				return excelPrecision(n.Value * 100), true // 0.125 shown as 12.5%
			}
		}
	}
	n := ParseNumber(raw, col.Unit)
	switch n.State {
	case CellNumber:
		return n.Value, true
	case CellNoted:
		r.add(lingpao.SevWarning, "cell."+n.Problem, sheet, c.ref(), raw, fmt.Sprintf("%s：%s。", what, n.Reason))
		return n.Value, true
	case CellInvalid:
		r.bad("cell."+n.Problem, sheet, c.ref(), raw, fmt.Sprintf("%s填的是“%s”，%s。", what, strings.TrimSpace(raw), n.Reason))
	}
	return 0, false
}

func parseOr0(s string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v
}

var (
	dateYMD     = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	dateCompact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	dateNoYear  = regexp.MustCompile(`^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
)

// date reads a date cell: an Excel serial, an ISO date cell, or text such as 2025-09-12, 2025/9/12,
// 2025.9.12, 2025年9月12日 or 20250912. It returns YYYY-MM-DD, or "" when blank or unreadable (with a
// warning: dates of the issue ledger do not reject a return).
func (r *reader) date(sheet string, c *xcell) string {
	if c == nil {
		return ""
	}
	raw, kind := r.resolve(sheet, c)
	t := normalize(raw)
	if t == "" || missingMarks[t] {
		return ""
	}
	warn := func(msg string) string {
		r.add(lingpao.SevWarning, "cell.date", sheet, c.ref(), raw, msg)
		return ""
	}
	switch kind {
	case kindNumber:
		f, err := strconv.ParseFloat(t, 64)
		if err == nil && f == math.Trunc(f) && f > 20000 && f < 80000 {
			d, err := excelize.ExcelDateToTime(f, r.b.date1904)
			if err == nil {
				return d.Format("2006-01-02")
			}
		}
	case kindDate:
		if len(t) >= 10 {
			if d, err := time.Parse("2006-01-02", t[:10]); err == nil {
				return d.Format("2006-01-02")
			}
		}
	}
	for _, re := range []*regexp.Regexp{dateYMD, dateCompact} {
		if m := re.FindStringSubmatch(t); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			tm := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if tm.Year() == y && int(tm.Month()) == mo && tm.Day() == d {
				return tm.Format("2006-01-02")
			}
			return warn(fmt.Sprintf("日期“%s”不存在（月份或日期超出范围）：请核对。", raw))
		}
	}
	if dateNoYear.MatchString(t) {
		return warn(fmt.Sprintf("日期“%s”缺少年份，系统不能确定是哪一年：请写成如 2025-09-12 的完整日期。", raw))
	}
	return warn(fmt.Sprintf("“%s”不是可识别的日期：请写成如 2025-09-12 的日期。", raw))
}
