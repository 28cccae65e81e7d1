package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"lingpao"
)

// Editions (PRODUCT §8): a report is identified by what it says — its figures — not by when it was
// made. Regenerating a report whose figures are unchanged gives the same edition; when a correction
// arrives after a report went out, the figures change, the next generation is a revised edition
// (第2版), and its 更正说明 lists each figure that changed, old and new.

// Figure is one printed figure of a report that a correction can change: a unit's actual value or
// target for an indicator, or a score.
type Figure struct {
	Org  string `json:"org"`
	Name string `json:"name"` // the unit's name
	// Item names the figure: an indicator's name, 目标 after it for its target, or 综合得分/考核得分.
	Item string `json:"item"`
	Text string `json:"text"` // as printed, with its unit: 734家, 未报送, 3.67%
}

func (f Figure) key() string { return f.Org + "\x1f" + f.Item }

// Correction is one figure a revised edition changes: the unit, the figure, its text in the edition
// revised and in this one, and why it changed (Cause).
type Correction struct {
	Org  string `json:"org"`
	Name string `json:"name"`
	Item string `json:"item"`
	Old  string `json:"old"`
	New  string `json:"new"`
	// Cause is CauseCorrection, CauseLate or CauseOther; "" when not attributed (Diff).
	Cause string `json:"cause,omitempty"`
}

// Why a figure changed between editions. Only corrections are errata (更正说明): changes to accepted
// data the earlier edition used. A return the earlier edition did not have is a late return (补报),
// and anything else — a targets version, the rules — an adjustment.
const (
	CauseCorrection = "更正"
	CauseLate       = "补报"
	CauseOther      = "调整"
)

// LateReturn is a return counted in a revised edition that the edition it revises did not have.
type LateReturn struct {
	Org        string         `json:"org"`
	Name       string         `json:"name"`
	Month      lingpao.Period `json:"-"`
	ReceivedAt time.Time      `json:"received_at"`
}

// Attribute sets the Cause of each change from the counties whose data changed since the edition
// revised: corrected (a later version of a return that edition used) and late (a return it did not
// have), by county code. A county's figure changed by its own data (else by an adjustment); a figure
// of the city (code city) or of no unit changed by any county's — a correction when any county's
// data was corrected.
func Attribute(cs []Correction, city string, corrected, late map[string]bool) []Correction {
	out := make([]Correction, len(cs))
	for i, c := range cs {
		aggregate := c.Org == city || c.Org == ""
		switch {
		case corrected[c.Org], aggregate && len(corrected) > 0:
			c.Cause = CauseCorrection
		case late[c.Org], aggregate && len(late) > 0:
			c.Cause = CauseLate
		default:
			c.Cause = CauseOther
		}
		out[i] = c
	}
	return out
}

// Errata returns the changes that are corrections of data (更正说明).
func Errata(cs []Correction) []Correction {
	var out []Correction
	for _, c := range cs {
		if c.Cause == "" || c.Cause == CauseCorrection {
			out = append(out, c)
		}
	}
	return out
}

// Text words a correction: 正定县新增发明专利（本年累计）由12件更正为13件.
func (c Correction) Text() string {
	switch {
	case c.Old == "":
		return fmt.Sprintf("%s%s增列为%s", c.Name, c.Item, c.New)
	case c.New == "":
		return fmt.Sprintf("%s%s（原为%s）不再列出", c.Name, c.Item, c.Old)
	}
	return fmt.Sprintf("%s%s由%s更正为%s", c.Name, c.Item, c.Old, c.New)
}

// Digest is the SHA-256 of the figures, the identity of an edition's content.
func Digest(fs []Figure) string {
	h := sha256.New()
	for _, f := range fs {
		fmt.Fprintf(h, "%s\x1f%s\x1f%s\n", f.Org, f.Item, f.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Diff returns the corrections from the figures of an earlier edition to the current ones, in the
// order of the current figures (removed figures last).
func Diff(old, cur []Figure) []Correction {
	was := make(map[string]Figure, len(old))
	for _, f := range old {
		was[f.key()] = f
	}
	var out []Correction
	seen := make(map[string]bool, len(cur))
	for _, f := range cur {
		seen[f.key()] = true
		o, ok := was[f.key()]
		switch {
		case !ok:
			out = append(out, Correction{Org: f.Org, Name: f.Name, Item: f.Item, New: f.Text})
		case o.Text != f.Text:
			out = append(out, Correction{Org: f.Org, Name: f.Name, Item: f.Item, Old: o.Text, New: f.Text})
		}
	}
	for _, f := range old {
		if !seen[f.key()] {
			out = append(out, Correction{Org: f.Org, Name: f.Name, Item: f.Item, Old: f.Text})
		}
	}
	return out
}

// tableFigures are the figures of indicator tables: every unit's actual value and target.
func tableFigures(ts []Table) []Figure {
	var out []Figure
	add := func(ind lingpao.Indicator, r Row) {
		actual := ActualText(ind, r.A)
		if r.A.Actual.OK {
			actual += ind.Unit
		}
		out = append(out, Figure{Org: r.Org, Name: r.Name, Item: ind.Name, Text: actual})
		if r.A.HasTarget {
			out = append(out, Figure{Org: r.Org, Name: r.Name, Item: ind.Name + "目标", Text: TargetText(ind, r.A)})
		}
	}
	for _, t := range ts {
		add(t.Indicator, t.Total)
		for _, r := range t.Rows {
			add(t.Indicator, r)
		}
	}
	return out
}

// ErrataNote words the 更正说明 of a revised edition: which edition it revises and when that was made,
// every correction of data that edition used, the returns it did not have (补报) and how many figures
// changed for other reasons (a targets version); nothing for a first edition.
func ErrataNote(p Provenance) string {
	if p.Edition <= 1 {
		return ""
	}
	errata := Errata(p.Errata)
	other := 0
	for _, c := range p.Errata {
		if c.Cause == CauseOther {
			other++
		}
	}
	var b strings.Builder
	verb := "更正"
	if len(errata) == 0 {
		verb = "替代"
	}
	fmt.Fprintf(&b, "本件为%s，%s第%d版", p.EditionLabel(), verb, p.Edition-1)
	if !p.RevisesDate.IsZero() {
		fmt.Fprintf(&b, "（%s生成）", lingpao.FormatDateCN(p.RevisesDate))
	}
	if len(errata) == 0 && len(p.Late) == 0 && other == 0 {
		b.WriteString("，数据未变。")
		return b.String()
	}
	b.WriteString("。")
	if len(errata) > 0 {
		fmt.Fprintf(&b, "印发后收到的报表更正，共%d处：", len(errata))
		for i, c := range errata {
			if i == maxErrata {
				fmt.Fprintf(&b, "等（其余%d处见同期工作簿“数据来源”表）", len(errata)-maxErrata)
				break
			}
			if i > 0 {
				b.WriteString("；")
			}
			b.WriteString(c.Text())
		}
		b.WriteString("。")
	}
	if len(p.Late) > 0 {
		var names []string
		for _, l := range p.Late {
			names = append(names, fmt.Sprintf("%s%s报表（%s收到）", l.Name, l.Month.Label(), l.ReceivedAt.In(lingpao.Beijing).Format("1月2日")))
		}
		fmt.Fprintf(&b, "本版计入了印发后补报的%s，相关数字随之变化，不属更正。", strings.Join(names, "、"))
	}
	if other > 0 {
		fmt.Fprintf(&b, "因目标任务调整变化的数字%d处，见同期工作簿“数据来源”表。", other)
	}
	b.WriteString("其余内容不变，请以本版为准。")
	return b.String()
}

// maxErrata is how many corrections the 更正说明 words; the workbook's 数据来源 sheet lists them all.
const maxErrata = 12

// ProvenanceNote words the data note every report ends with: period, cut-off, targets version,
// edition, lingpao's version and the submission version each county contributed.
func ProvenanceNote(p Provenance, kind string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "数据说明：本%s数据期间为%s，数据截至%s；目标任务采用第%d版；本件为%s，由 lingpao %s 生成。", kind, p.PeriodLabel,
		CutOffText(p.CutOff), p.TargetsVersion, p.EditionLabel(), p.Version)
	var used []string
	for _, s := range p.Sources {
		used = append(used, fmt.Sprintf("%s第%d版", s.Name, s.Version))
	}
	if len(used) > 0 {
		fmt.Fprintf(&b, "各县（市、区）采用的报表版本：%s。", strings.Join(used, "、"))
	}
	if len(p.Missing) > 0 {
		fmt.Fprintf(&b, "未报送：%s。", strings.Join(p.Missing, "、"))
	}
	return b.String()
}

// CutOffText formats a cut-off or generation time to the second it counts to: 2025年10月15日 09:00, or
// 2025年10月15日 23:04:22 — given back as --cutoff, it regenerates the same edition.
func CutOffText(t time.Time) string {
	t = t.In(lingpao.Beijing)
	if t.Second() == 0 {
		return t.Format("2006年1月2日 15:04")
	}
	return t.Format("2006年1月2日 15:04:05")
}

// CutOffArg is a cut-off as --cutoff takes it: 2025-10-15T09:00, or 2025-10-15T23:04:22.
func CutOffArg(t time.Time) string {
	t = t.In(lingpao.Beijing)
	if t.Second() == 0 {
		return t.Format("2006-01-02T15:04")
	}
	return t.Format("2006-01-02T15:04:05")
}
