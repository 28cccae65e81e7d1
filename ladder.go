package lingpao

import (
	"fmt"
	"math"
	"time"
)

// EscalationLevel is a rung of the escalation ladder (督办, PRODUCT §7.3): 警示 → 约谈 → 通报 → 报告 → 问责.
type EscalationLevel int

// The rungs, in order. EscNone is no escalation.
const (
	EscNone           EscalationLevel = iota
	EscWarning                        // 警示
	EscInterview                      // 约谈
	EscNotice                         // 通报
	EscReport                         // 报告
	EscAccountability                 // 问责
)

// Label returns the Chinese name of the level ("—" for none).
func (l EscalationLevel) Label() string {
	switch l {
	case EscWarning:
		return "警示"
	case EscInterview:
		return "约谈"
	case EscNotice:
		return "通报"
	case EscReport:
		return "报告"
	case EscAccountability:
		return "问责"
	}
	return "—"
}

// LadderOptions configure the two ladders: one per (county, indicator) for consecutive months behind
// 序时进度, one per county for consecutive months with a late or missing return.
type LadderOptions struct {
	// Steps are the numbers of consecutive lagging months that reach 警示, 约谈, 通报, 报告 and 问责, in
	// that order (default 1, 2, 3, 4, 5: one step per month). Fewer numbers stop the ladder lower.
	Steps []int `yaml:"steps" json:"steps"`
	// Recover is how many consecutive months back on schedule reset the ladder (default 1). Until
	// then the level and the count of lagging months are kept.
	Recover int `yaml:"recover" json:"recover"`
	// FarBehindOnly counts only 严重滞后 months; a 滞后 month then neither advances nor resets.
	FarBehindOnly bool `yaml:"far_behind_only" json:"far_behind_only"`
	// ReportingSteps are the Steps of the reporting ladder: consecutive months whose return was late,
	// is missing, or was rejected and not sent again (default 1, 2, 3, 4, 5).
	ReportingSteps []int `yaml:"reporting_steps" json:"reporting_steps"`
}

// DefaultLadderOptions is one step per consecutive lagging month, reset by one month on schedule.
func DefaultLadderOptions() LadderOptions {
	return LadderOptions{Steps: []int{1, 2, 3, 4, 5}, Recover: 1, ReportingSteps: []int{1, 2, 3, 4, 5}}
}

// problems lists what is wrong with the options, for Config.Validate.
func (o LadderOptions) problems() []string {
	var probs []string
	check := func(name string, steps []int) {
		if len(steps) == 0 || len(steps) > 5 {
			probs = append(probs, fmt.Sprintf("dispatch.ladder.%s 应为 1–5 个递增的正整数（达到警示、约谈、通报、报告、问责所需的连续月数），如 [1, 2, 3, 4, 5]", name))
			return
		}
		for i, s := range steps {
			if s < 1 || (i > 0 && s <= steps[i-1]) {
				probs = append(probs, fmt.Sprintf("dispatch.ladder.%s 应为递增的正整数，现为 %v", name, steps))
				return
			}
		}
	}
	check("steps", o.Steps)
	check("reporting_steps", o.ReportingSteps)
	if o.Recover < 1 {
		probs = append(probs, "dispatch.ladder.recover（恢复正常几个月后解除督办）应至少为 1")
	}
	return probs
}

// Tally is what one month means for a ladder.
type Tally int

// The tallies.
const (
	// Hold neither advances nor resets: nothing was measured (未报送 on the performance ladder — the
	// reporting ladder deals with it), or the month was not due (1–2月合并, deadline not reached).
	Hold Tally = iota
	// Strike is a lagging month, or a late, missing or rejected return.
	Strike
	// Clear is a month on or ahead of schedule, or a return on time.
	Clear
)

// Observation is one month of a ladder's subject.
type Observation struct {
	Month Period `json:"-"`
	Tally Tally  `json:"tally"`
	// State is the month's Status or ReportState; Gap the gap in percentage points when measured.
	State string   `json:"state"`
	Gap   *float64 `json:"gap,omitempty"`
	// Note describes the month in Chinese for the reason of a step: 滞后序时进度8.2个百分点（滞后）.
	Note string `json:"note"`
}

// ObserveAssessment is the performance ladder's observation of one month, on the gap as printed:
// 滞后 and 严重滞后 strike (only 严重滞后 with FarBehindOnly), 基本同步 and 超序时 clear, no target
// clears (the ladder ends with the task), and 未报送 (a blank cell too) and 1–2月合并 hold.
func (o LadderOptions) ObserveAssessment(m Period, a Assessment) Observation {
	ob := Observation{Month: m, State: string(a.Status)}
	if a.Measured() {
		g := roundTo(a.Gap, 6)
		ob.Gap = &g
	}
	switch a.Status {
	case StatusBehind, StatusFarBehind:
		ob.Note = fmt.Sprintf("滞后序时进度%s个百分点（%s）", FormatNumber(math.Abs(a.Gap), 1), a.Status.Label())
		ob.Tally = Strike
		if o.FarBehindOnly && a.Status == StatusBehind {
			ob.Tally = Hold
			ob.Note += "，仅严重滞后计入督办"
		}
	case StatusAhead:
		ob.Tally, ob.Note = Clear, fmt.Sprintf("超序时进度%s个百分点", FormatNumber(a.Gap, 1))
	case StatusOnTrack:
		ob.Tally, ob.Note = Clear, fmt.Sprintf("与序时进度基本同步（偏差%s个百分点）", signed(a.Gap))
	case StatusNoTarget:
		ob.Tally, ob.Note = Clear, "已无适用的目标任务"
	case StatusMerged:
		ob.Tally, ob.Note = Hold, "1–2月合并报送，1月不单独考核"
	default:
		ob.Tally, ob.Note = Hold, "未报送"
	}
	return ob
}

// signed formats a gap with one decimal and its sign: +3.0, −2.1, 0.0.
func signed(g float64) string {
	s := FormatNumber(g, 1)
	switch {
	case s == "0.0" || s == "-0.0":
		return "0.0"
	case g > 0:
		return "+" + s
	}
	return "−" + s[1:]
}

// ObserveReport is the reporting ladder's observation of one month's return: late, missing and
// rejected-not-resent (once the deadline is over) strike; on time clears; 1–2月合并 and not yet due
// hold.
func ObserveReport(m Period, r CountyReport) Observation {
	ob := Observation{Month: m, State: string(r.State)}
	due := FormatDate(r.Deadline)
	switch r.State {
	case ReportOnTime:
		ob.Tally, ob.Note = Clear, "报表按时报送"
	case ReportLate:
		ob.Tally, ob.Note = Strike, fmt.Sprintf("报表逾期报送（截止%s，%s收到）", due, FormatDate(r.First.ReceivedAt))
	case ReportMissing:
		ob.Tally, ob.Note = Strike, fmt.Sprintf("报表未报送（截止%s）", due)
	case ReportRejected:
		ob.Tally, ob.Note = Strike, fmt.Sprintf("报表被退回后未重新报送（截止%s）", due)
		if !r.Overdue {
			ob.Tally, ob.Note = Hold, "报表被退回，尚未到截止日"
		}
	case ReportMerged:
		ob.Tally, ob.Note = Hold, "1–2月合并报送"
	default:
		ob.Tally, ob.Note = Hold, "未到截止日"
	}
	return ob
}

// LadderState is where a ladder's subject stands after a month.
type LadderState struct {
	Level EscalationLevel `json:"level"`
	// Streak counts the lagging months since the ladder was last reset; Clear the months back on
	// schedule since the last lagging one.
	Streak int `json:"streak"`
	Clear  int `json:"clear"`
}

// Escalation is one step of a ladder — up a rung, or back to none on recovery — with its date and
// reason (PRODUCT §7.3). Indicator is "" for the reporting ladder.
type Escalation struct {
	ID        int64           `json:"id,omitempty"`
	Org       string          `json:"org"`
	Indicator string          `json:"indicator"`
	Month     Period          `json:"-"`
	From      EscalationLevel `json:"from"`
	To        EscalationLevel `json:"to"`
	// Streak is the number of consecutive lagging months the step is based on.
	Streak int      `json:"streak"`
	State  string   `json:"state"`
	Gap    *float64 `json:"gap,omitempty"`
	Reason string   `json:"reason"`
	// Date is when the step takes effect: the reporting deadline of the month it is based on, when the
	// month's standing is fixed. RecordedAt is when lingpao recorded it; RevokedAt (zero while in force)
	// when a correction of the data made the step void, with RevokeReason.
	Date         time.Time `json:"date"`
	RecordedAt   time.Time `json:"recorded_at"`
	RevokedAt    time.Time `json:"revoked_at,omitempty"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
}

// Up reports whether the step raises the level.
func (e Escalation) Up() bool { return e.To > e.From }

// levelFor is the rung reached after streak consecutive lagging months.
func levelFor(steps []int, streak int) EscalationLevel {
	l := EscNone
	for i, s := range steps {
		if streak >= s && i < int(EscAccountability) {
			l = EscalationLevel(i + 1)
		}
	}
	return l
}

// NextLadderState is the pure step function of a ladder: the state after one more month, and the
// escalation when the level changes. steps are the streak lengths of the rungs, recover the months
// back on schedule that reset. org and indicator name the subject; what ("滞后", "报送不及时") is how
// the reason names a lagging month.
func NextLadderState(s LadderState, ob Observation, steps []int, recover int, org, indicator, what string) (LadderState, *Escalation) {
	next := s
	switch ob.Tally {
	case Strike:
		next.Streak++
		next.Clear = 0
		next.Level = max(s.Level, levelFor(steps, next.Streak))
	case Clear:
		if s.Streak == 0 && s.Level == EscNone {
			return s, nil
		}
		next.Clear++
		if next.Clear >= max(recover, 1) {
			next = LadderState{}
		}
	default:
		return s, nil
	}
	if next.Level == s.Level {
		return next, nil
	}
	e := &Escalation{Org: org, Indicator: indicator, Month: ob.Month, From: s.Level, To: next.Level, Streak: next.Streak, State: ob.State, Gap: ob.Gap}
	if e.Up() {
		e.Reason = fmt.Sprintf("%s%s，连续第%d个月%s：%s→%s", ob.Month.Label(), ob.Note, next.Streak, what, s.Level.Label(), next.Level.Label())
		if s.Level == EscNone {
			e.Reason = fmt.Sprintf("%s%s，连续第%d个月%s：%s", ob.Month.Label(), ob.Note, next.Streak, what, next.Level.Label())
		}
	} else {
		e.Streak = s.Streak
		e.Reason = fmt.Sprintf("%s%s，督办解除（原为%s，此前连续%d个月%s）", ob.Month.Label(), ob.Note, s.Level.Label(), s.Streak, what)
		if recover > 1 {
			e.Reason = fmt.Sprintf("%s%s，连续%d个月恢复正常，督办解除（原为%s）", ob.Month.Label(), ob.Note, recover, s.Level.Label())
		}
	}
	return next, e
}

// RunLadder walks one subject through its months in order and returns its state after the last one
// and every step on the way. Indicator "" is the reporting ladder (ReportingSteps); otherwise the
// performance ladder of that indicator (Steps).
func (o LadderOptions) RunLadder(org, indicator string, obs []Observation) (LadderState, []Escalation) {
	steps, what := o.Steps, "滞后"
	if indicator == "" {
		steps, what = o.ReportingSteps, "报送不及时"
	}
	var s LadderState
	var out []Escalation
	for _, ob := range obs {
		var e *Escalation
		s, e = NextLadderState(s, ob, steps, o.Recover, org, indicator, what)
		if e != nil {
			out = append(out, *e)
		}
	}
	return s, out
}

// LadderSubject names one ladder: a county and an indicator, or "" for the county's reporting ladder.
type LadderSubject struct {
	Org       string `json:"org"`
	Indicator string `json:"indicator"`
}

// LevelsAt returns each subject's level at month at: the level its latest step in force at or before
// at reached. Subjects at EscNone are left out. Steps are taken in order of month, then as listed.
func LevelsAt(es []Escalation, at Period) map[LadderSubject]EscalationLevel {
	type last struct {
		m Period
		l EscalationLevel
	}
	by := map[LadderSubject]last{}
	for _, e := range es {
		if !e.RevokedAt.IsZero() || at.Before(e.Month) {
			continue
		}
		k := LadderSubject{e.Org, e.Indicator}
		if cur, ok := by[k]; !ok || !e.Month.Before(cur.m) {
			by[k] = last{e.Month, e.To}
		}
	}
	out := map[LadderSubject]EscalationLevel{}
	for k, v := range by {
		if v.l != EscNone {
			out[k] = v.l
		}
	}
	return out
}
