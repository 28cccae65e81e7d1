package jobs

import (
	"context"
	"sort"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// Ladder is the escalation ladder (督办, PRODUCT §7.3) of every county as computed now from the data:
// one performance ladder per (county, indicator) it is measured on, one reporting ladder per county.
type Ladder struct {
	// Month is the last month walked; From the first (the first month with an accepted return).
	Month, From lingpao.Period
	// Steps are all steps from From through Month, in order of month.
	Steps []lingpao.Escalation
	// States are the ladders' states after Month, by subject (indicator "" is the reporting ladder).
	States map[lingpao.LadderSubject]lingpao.LadderState
	// Reporting is the reporting of Month.
	Reporting lingpao.ReportingRate
}

// ComputeLadder walks every ladder of the city's counties from the first month with an accepted
// return through month, with the data and files as they stand now: a late correction of a past month
// is taken into account. It reads only.
func (w *Workspace) ComputeLadder(ctx context.Context, month lingpao.Period) (*Ladder, error) {
	return w.ComputeLadderAt(ctx, month, lingpao.CutOffOf(w.now()))
}

// ComputeLadderAt is ComputeLadder with the data and files as they stood at asOf — a report's
// cut-off, so that regenerating a report with the same cut-off shows the same 督办 list.
func (w *Workspace) ComputeLadderAt(ctx context.Context, month lingpao.Period, asOf time.Time) (_ *Ladder, err error) {
	defer lingpao.Wrap(&err, "jobs.ComputeLadder(%s)", month)
	month = month.LastMonth()
	now := lingpao.CutOffOf(asOf)
	subs, err := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{})
	if err != nil {
		return nil, err
	}
	l := &Ladder{Month: month, From: month, States: map[lingpao.LadderSubject]lingpao.LadderState{}}
	byMonth := map[lingpao.Period][]lingpao.Submission{}
	for _, s := range subs {
		if s.Period.IsZero() || !lingpao.ReceivedBy(s.ReceivedAt, now) {
			continue
		}
		byMonth[s.Period] = append(byMonth[s.Period], s)
		if s.Status == lingpao.SubAccepted && s.Period.Before(l.From) {
			l.From = s.Period
		}
	}
	from := lingpao.DataFrom(w.Catalog, l.From)
	if f := lingpao.DataFrom(w.Catalog, month); f.Before(from) {
		from = f
	}
	ds, _, err := w.Store.LoadDataSet(ctx, from, month, now)
	if err != nil {
		return nil, err
	}
	var months []lingpao.Period
	for m := l.From; !month.Before(m); m = m.Add(1) {
		months = append(months, m)
	}
	cal := w.Catalog.Calendar()
	dated := func(es []lingpao.Escalation) []lingpao.Escalation {
		for i := range es {
			es[i].Date = cal.Deadline(es[i].Month, w.Config.DeadlineDay)
		}
		return es
	}
	opt := w.Config.Dispatch.Ladder
	counties := w.Catalog.Tree.Counties(w.Config.City)
	inds := lingpao.CountyIndicators(w.Catalog)
	// The reporting ladders.
	reports := make([]lingpao.ReportingRate, len(months))
	for i, m := range months {
		reports[i] = lingpao.ComputeReporting(counties, m, byMonth[m], cal, w.Config.DeadlineDay, w.Config.MergeJanFeb, now)
	}
	l.Reporting = reports[len(reports)-1]
	for ci, c := range counties {
		obs := make([]lingpao.Observation, len(months))
		for i, m := range months {
			obs[i] = lingpao.ObserveReport(m, reports[i].Counties[ci])
		}
		state, steps := opt.RunLadder(c.Code, "", obs)
		l.States[lingpao.LadderSubject{Org: c.Code}] = state
		l.Steps = append(l.Steps, dated(steps)...)
	}
	// The performance ladders.
	for _, c := range counties {
		for _, ind := range inds {
			obs := make([]lingpao.Observation, 0, len(months))
			measured := false
			for _, m := range months {
				a := lingpao.Assess(w.Catalog, ds, c.Code, ind, m, w.Config.ProgressOptions())
				measured = measured || a.HasTarget
				obs = append(obs, opt.ObserveAssessment(m, a))
			}
			if !measured {
				continue
			}
			state, steps := opt.RunLadder(c.Code, ind.Code, obs)
			l.States[lingpao.LadderSubject{Org: c.Code, Indicator: ind.Code}] = state
			l.Steps = append(l.Steps, dated(steps)...)
		}
	}
	sort.SliceStable(l.Steps, func(i, j int) bool { return l.Steps[i].Month.Before(l.Steps[j].Month) })
	return l, nil
}

// LadderUpdate says what UpdateLadder changed in the record.
type LadderUpdate struct {
	Added, Revoked int
	Ladder         *Ladder
}

// UpdateLadder computes the ladders through month and records their steps (each with its date and
// reason): new steps are added, steps a correction made void are revoked, steps of later months are
// left alone. It is idempotent: running it again for the same month with the same data changes
// nothing. The monthly dispatch job, the web page and the CLI call it.
func (w *Workspace) UpdateLadder(ctx context.Context, month lingpao.Period) (_ LadderUpdate, err error) {
	defer lingpao.Wrap(&err, "jobs.UpdateLadder(%s)", month)
	l, err := w.ComputeLadder(ctx, month)
	if err != nil {
		return LadderUpdate{}, err
	}
	added, revoked, err := w.Store.SyncEscalations(ctx, l.Month, l.Steps)
	return LadderUpdate{Added: added, Revoked: revoked, Ladder: l}, err
}
