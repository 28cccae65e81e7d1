// Package allocation makes the targets allocation workbook (目标分解表, PRODUCT §5.3), in which city
// staff allocate the city's targets to its counties, and reads a filled one back with the same kind
// of findings as a county return: sheet, cell, value, rule and a Chinese message. It is an Excel
// contract of its own, separate from the return template.
package allocation

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"lingpao"
)

// Sheet names are part of the contract.
const (
	SheetGuide = "填写说明"
	SheetMain  = "目标分解"
	SheetMeta  = "_meta"
)

// Kind and FormatVersion identify the workbook in its metadata sheet.
const (
	Kind          = "lingpao-targets-allocation"
	FormatVersion = "1"
)

// Block is one allocatable figure: a city target (the basis) for one year, and each county's share.
type Block struct {
	Key       lingpao.AllocationKey `json:"key"`
	Basis     lingpao.Target        `json:"-"`
	Indicator lingpao.Indicator     `json:"-"`
	// Shares holds the share in force per county code; absent when the county has none.
	Shares map[string]float64 `json:"shares"`
	// Previous holds, for a milestone, each county's share of the unit's previous milestone (the
	// baseline its share is measured from).
	Previous map[string]float64 `json:"previous,omitempty"`
	// PreviousLabel names that milestone: "2023年底".
	PreviousLabel string `json:"previous_label,omitempty"`
}

// Period describes when the block's figure applies: "2025年底", "2025年", "2025—2027年累计".
func (b Block) Period() string {
	switch b.Basis.Form {
	case lingpao.FormAnnual:
		return fmt.Sprintf("%d年", b.Key.Year)
	case lingpao.FormCumulative:
		return fmt.Sprintf("%d—%d年累计", b.Basis.Start.In(lingpao.Beijing).Year(), b.Basis.Due.In(lingpao.Beijing).Year())
	}
	return fmt.Sprintf("%d年底", b.Key.Year)
}

// What says what a share is, by form: a level to reach, the year's new figure, the plan's new figure.
func (b Block) What() string {
	switch b.Basis.Form {
	case lingpao.FormAnnual:
		return "当年新增量"
	case lingpao.FormCumulative:
		return "规划期累计新增量"
	}
	return "届时应达到的总量"
}

// Rule says in Chinese what the shares must add up to.
func (b Block) Rule() string {
	n := func(v float64) string { return lingpao.FormatNumber(v, decimals(v)) + b.Indicator.Unit }
	switch b.Basis.Comp {
	case lingpao.CompRange:
		return fmt.Sprintf("合计在%s至%s之间（达到下限即完成）", n(b.Basis.Bar()), n(*b.Basis.Max))
	case lingpao.CompAtLeast, lingpao.CompMoreThan:
		return fmt.Sprintf("合计不少于%s", n(b.Basis.Bar()))
	}
	return fmt.Sprintf("合计应等于%s", n(b.Basis.Bar()))
}

// decimals is the number of decimals v needs (no more than it has).
func decimals(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// Spec is everything the workbook is made from.
type Spec struct {
	City     lingpao.OrgUnit
	Counties []lingpao.OrgUnit
	Blocks   []Block
	// Inherited are the city's rate, coverage and growth targets, which are not allocated: every
	// county is held to them. CityKept are targets of indicators the city keeps itself.
	Inherited []lingpao.Target
	CityKept  []lingpao.Target
	// FromYear is the first year allocated.
	FromYear       int
	TargetsVersion int
	Generated      time.Time
	IssuingUnit    string
	// Secret keys the hash of the metadata sheet (the workspace's template key).
	Secret string
}

// Plan builds the workbook's content from the catalog's targets in force: one block per allocatable
// target of the city and year from fromYear on (lingpao.Allocatable, lingpao.AllocationYears), in
// catalog indicator order, then by year; each with the shares currently in force.
func Plan(cat *lingpao.Catalog, city string, fromYear int) (Spec, error) {
	u, ok := cat.Tree.Unit(city)
	if !ok {
		return Spec{}, lingpao.Errorf(lingpao.ENOTFOUND, "找不到本市（%s）：请检查 lingpao.yaml 中的 city。", city)
	}
	s := Spec{City: u, Counties: cat.Tree.Counties(city), FromYear: fromYear}
	byID := map[string]lingpao.Target{}
	for _, t := range cat.Targets {
		byID[t.ID] = t
	}
	indIdx := map[string]int{}
	for i, ind := range cat.Indicators {
		indIdx[ind.Code] = i
	}
	for _, t := range cat.Targets {
		if t.Org != city || t.Example {
			continue
		}
		ind, ok := cat.Indicator(t.Indicator)
		if !ok {
			continue
		}
		if !lingpao.Allocatable(t, ind) {
			if len(lingpao.AllocationYears(t, fromYear)) > 0 || (t.Form == lingpao.FormGrowth && t.ToYear >= fromYear) {
				if ind.Source == lingpao.SourceCity || (ind.Source == lingpao.SourceDerived && !countyMeasured(cat, ind)) {
					s.CityKept = append(s.CityKept, t)
				} else {
					s.Inherited = append(s.Inherited, t)
				}
			}
			continue
		}
		for _, y := range lingpao.AllocationYears(t, fromYear) {
			b := Block{Key: lingpao.AllocationKey{Basis: t.ID, Year: y}, Basis: t, Indicator: ind, Shares: map[string]float64{}}
			for _, c := range s.Counties {
				if share, ok := byID[lingpao.AllocationID(t, y, c.Code)]; ok {
					b.Shares[c.Code] = share.Bar()
					if share.Baseline != nil && t.Form == lingpao.FormMilestone {
						if b.Previous == nil {
							b.Previous = map[string]float64{}
						}
						b.Previous[c.Code] = *share.Baseline
						b.PreviousLabel = fmt.Sprintf("%d年底", share.Start.AddDate(0, 0, -1).In(lingpao.Beijing).Year())
					}
				}
			}
			s.Blocks = append(s.Blocks, b)
		}
	}
	sort.SliceStable(s.Blocks, func(i, j int) bool {
		a, b := s.Blocks[i], s.Blocks[j]
		if indIdx[a.Indicator.Code] != indIdx[b.Indicator.Code] {
			return indIdx[a.Indicator.Code] < indIdx[b.Indicator.Code]
		}
		if a.Key.Year != b.Key.Year {
			return a.Key.Year < b.Key.Year
		}
		return a.Key.Basis < b.Key.Basis
	})
	if len(s.Blocks) == 0 {
		return s, lingpao.Errorf(lingpao.ENOTFOUND, "%s没有 %d 年及以后可分解的目标任务（节点、每年或累计目标）。", u.Name, fromYear)
	}
	return s, nil
}

// countyMeasured reports whether a derived indicator comes from figures counties report.
func countyMeasured(cat *lingpao.Catalog, ind lingpao.Indicator) bool {
	for _, c := range lingpao.CountyIndicators(cat) {
		if c.Code == ind.Code {
			return true
		}
	}
	return false
}
