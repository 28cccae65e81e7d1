package reports

import (
	"sort"
	"time"

	"lingpao"
)

// RankRow is one county's composite standing (比学赶超, PRODUCT §7.2).
type RankRow struct {
	Name string `json:"name"`
	lingpao.Score
}

// Ranking is the composite ranking of the counties with the 红榜 and the 黑榜.
type Ranking struct {
	// Indicators is how many indicators entered the composite; GapCap bounds each gap (pp).
	Indicators int       `json:"indicators"`
	GapCap     float64   `json:"gap_cap"`
	Rows       []RankRow `json:"rows"`
	Red        []RankRow `json:"red"`
	Black      []RankRow `json:"black"`
}

// ranking scores every county over the tables' indicators by lingpao.CompositeScores (weighted mean of
// 100 + each capped gap), sets the movement against the period before, and names the 红榜 and 黑榜
// with lingpao.RedBlack.
func (in Input) ranking(tables []Table) Ranking {
	opt := in.Config.Dispatch.Ranking
	var cur, prev []lingpao.Assessment
	inds := map[string]bool{}
	for _, t := range tables {
		if !t.HasCountyTargets() {
			continue
		}
		for _, r := range t.Rows {
			cur = append(cur, r.A)
			if r.A.Measured() && opt.Weight(t.Indicator.Code) > 0 {
				inds[t.Indicator.Code] = true
			}
		}
		prev = append(prev, t.prev...)
	}
	scores := lingpao.CompositeScores(cur, opt)
	lingpao.Movement(scores, lingpao.CompositeScores(prev, opt))
	rk := Ranking{Indicators: len(inds), GapCap: opt.GapCap}
	for _, s := range scores {
		rk.Rows = append(rk.Rows, RankRow{Name: in.name(s.Org), Score: s})
	}
	red, black := lingpao.RedBlack(scores, max(opt.ListSize, 1))
	for _, s := range red {
		rk.Red = append(rk.Red, RankRow{Name: in.name(s.Org), Score: s})
	}
	for _, s := range black {
		rk.Black = append(rk.Black, RankRow{Name: in.name(s.Org), Score: s})
	}
	return rk
}

// Of returns the standing of county org.
func (rk Ranking) Of(org string) (RankRow, bool) {
	for _, r := range rk.Rows {
		if r.Org == org {
			return r, true
		}
	}
	return RankRow{}, false
}

// LadderRow is one subject under supervision (督办, PRODUCT §7.3): a county's indicator, or its
// reporting, at a rung of the ladder.
type LadderRow struct {
	Org  string `json:"org"`
	Name string `json:"name"`
	// Indicator is the indicator's code, "" for the reporting ladder; Item names it (报表报送 for the
	// reporting ladder).
	Indicator string                  `json:"indicator,omitempty"`
	Item      string                  `json:"item"`
	Level     lingpao.EscalationLevel `json:"level"`
	// Streak is the consecutive lagging months; Since the date the current rung took effect, with the
	// Reason recorded then.
	Streak int       `json:"streak"`
	Since  time.Time `json:"since"`
	Reason string    `json:"reason"`
	// New is set when the rung was reached within the report's period.
	New bool `json:"new,omitempty"`
}

// LevelCount is how many subjects stand at one rung.
type LevelCount struct {
	Level lingpao.EscalationLevel `json:"level"`
	N     int                     `json:"n"`
}

// Ladder is the state of supervision after the report's last month.
type Ladder struct {
	// Rows are the subjects above EscNone, highest rung first, then by county and indicator.
	Rows []LadderRow `json:"rows"`
	// Counts are the rungs from 问责 down to 警示, with how many subjects stand there.
	Counts []LevelCount `json:"counts"`
	// Counties is how many counties have a subject under supervision.
	Counties int `json:"counties"`
	// Raised and Cleared count the subjects that went up a rung, and those whose supervision ended,
	// within the report's period.
	Raised  int `json:"raised"`
	Cleared int `json:"cleared"`
	// ClearedRows are the steps that ended a subject's supervision within the period.
	ClearedRows []LadderRow `json:"cleared_rows,omitempty"`
}

// ladder builds the 督办 list from the escalation steps and ladder states of the Input.
func (in Input) ladder() Ladder {
	var l Ladder
	m := in.Period.LastMonth()
	order := map[string]int{}
	for i, c := range in.counties() {
		order[c.Code] = i
	}
	indOrder := map[string]int{"": -1}
	for i, ind := range in.Catalog.Indicators {
		indOrder[ind.Code] = i
	}
	item := func(code string) string {
		if code == "" {
			return "报表报送"
		}
		if ind, ok := in.Catalog.Indicator(code); ok {
			return ind.Name
		}
		return code
	}
	last := map[lingpao.LadderSubject]lingpao.Escalation{}
	raised, cleared := map[lingpao.LadderSubject]bool{}, map[lingpao.LadderSubject]bool{}
	for _, e := range in.Escalations {
		if !e.RevokedAt.IsZero() || m.Before(e.Month) {
			continue
		}
		k := lingpao.LadderSubject{Org: e.Org, Indicator: e.Indicator}
		if e.Up() {
			last[k] = e
		}
		if in.Period.Contains(e.Month) {
			if e.Up() {
				raised[k] = true
			} else if e.To == lingpao.EscNone {
				cleared[k] = true
				l.ClearedRows = append(l.ClearedRows, LadderRow{Org: e.Org, Name: in.name(e.Org), Indicator: e.Indicator, Item: item(e.Indicator),
					Level: e.From, Streak: e.Streak, Since: e.Date, Reason: e.Reason})
			}
		}
	}
	l.Raised, l.Cleared = len(raised), len(cleared)
	counties := map[string]bool{}
	for k, s := range in.LadderStates {
		if s.Level == lingpao.EscNone {
			continue
		}
		if _, ok := order[k.Org]; !ok {
			continue
		}
		r := LadderRow{Org: k.Org, Name: in.name(k.Org), Indicator: k.Indicator, Item: item(k.Indicator), Level: s.Level, Streak: s.Streak}
		if e, ok := last[k]; ok {
			r.Since, r.Reason, r.New = e.Date, e.Reason, in.Period.Contains(e.Month)
		}
		l.Rows = append(l.Rows, r)
		counties[k.Org] = true
	}
	sort.Slice(l.Rows, func(i, j int) bool {
		a, b := l.Rows[i], l.Rows[j]
		switch {
		case a.Level != b.Level:
			return a.Level > b.Level
		case order[a.Org] != order[b.Org]:
			return order[a.Org] < order[b.Org]
		}
		return indOrder[a.Indicator] < indOrder[b.Indicator]
	})
	l.Counties = len(counties)
	for lv := lingpao.EscAccountability; lv >= lingpao.EscWarning; lv-- {
		n := 0
		for _, r := range l.Rows {
			if r.Level == lv {
				n++
			}
		}
		l.Counts = append(l.Counts, LevelCount{Level: lv, N: n})
	}
	return l
}

// Of returns the subjects of county org under supervision.
func (l Ladder) Of(org string) []LadderRow {
	var out []LadderRow
	for _, r := range l.Rows {
		if r.Org == org {
			out = append(out, r)
		}
	}
	return out
}
