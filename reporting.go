package lingpao

import "time"

// ReportState is a county's reporting state for one month (PRODUCT §7.4).
type ReportState string

// The reporting states.
const (
	ReportOnTime   ReportState = "on_time"  // 按时报送
	ReportLate     ReportState = "late"     // 逾期报送
	ReportMissing  ReportState = "missing"  // 未报送
	ReportRejected ReportState = "rejected" // 已退回未重报: only rejected files so far
	ReportMerged   ReportState = "merged"   // 1–2月合并: January reported with February
	ReportNotDue   ReportState = "not_due"  // deadline not reached and nothing received yet
)

// Label returns the Chinese name of the state.
func (s ReportState) Label() string {
	switch s {
	case ReportOnTime:
		return "按时报送"
	case ReportLate:
		return "逾期报送"
	case ReportMissing:
		return "未报送"
	case ReportRejected:
		return "已退回待重报"
	case ReportMerged:
		return "1–2月合并报送"
	case ReportNotDue:
		return "未到截止日"
	}
	return string(s)
}

// CountyReport is one county's reporting for one month.
type CountyReport struct {
	Org      string      `json:"org"`
	State    ReportState `json:"state"`
	Deadline time.Time   `json:"deadline"`
	// First is the first accepted submission (what decides on time or late); Current the one in force.
	First   *Submission `json:"first,omitempty"`
	Current *Submission `json:"current,omitempty"`
	// Rejected counts rejected files for the month.
	Rejected int `json:"rejected"`
	// Overdue is set once the deadline day is over: a rejected file not sent again is then a strike on
	// the reporting ladder, not before.
	Overdue bool `json:"overdue"`
}

// ReportingRate is the reporting of a set of counties for one month.
type ReportingRate struct {
	Month    Period         `json:"-"`
	Deadline time.Time      `json:"deadline"`
	Counties []CountyReport `json:"counties"`
	Expected int            `json:"expected"`
	Received int            `json:"received"`
	OnTime   int            `json:"on_time"`
	Late     int            `json:"late"`
	Missing  int            `json:"missing"`
	Rejected int            `json:"rejected"`
	// NotDue counts counties with nothing yet before the deadline; Merged the Januaries reported with
	// February (not expected).
	NotDue int `json:"not_due"`
	Merged int `json:"merged"`
}

// CutOffOf returns the data cut-off of a report or a view made at t: t to the whole second, as
// reports print it, so that the printed cut-off given back (--cutoff) selects the same files.
func CutOffOf(t time.Time) time.Time { return t.Truncate(time.Second) }

// ReceivedBy reports whether a file received at received counts at the cut-off cutOff (a whole
// second, CutOffOf): received within the cut-off's second or before — as the store compares times.
func ReceivedBy(received, cutOff time.Time) bool {
	return !received.Truncate(time.Second).After(cutOff)
}

// Rate returns received / expected as a fraction (1 when nothing is expected).
func (r ReportingRate) Rate() float64 {
	if r.Expected == 0 {
		return 1
	}
	return float64(r.Received) / float64(r.Expected)
}

// ComputeReporting computes the reporting of counties for month m at time now (PRODUCT §7.4):
//   - on time: the first accepted file was received by the end of the deadline day (Calendar.Deadline:
//     「次月day日前，遇法定节假日顺延」); a later correction does not make it late;
//   - late: the first accepted file came after the deadline;
//   - rejected: only rejected files so far (before the deadline too — the county must send again);
//   - not due: nothing yet and the deadline day is not over;
//   - missing: nothing accepted and the deadline has passed;
//   - merged: with mergeJanFeb, January without a return is reported with February (1–2月合并) and is
//     not expected — the February return covers both months, and a missing February counts once.
//
// Expected counts every county but the merged ones; Received the on-time and late ones. Files received
// after now are ignored (ReceivedBy: now is a cut-off to the second), so the reporting of a past date
// can be recomputed. subs are all submissions
// for the month (any status), in any order.
func ComputeReporting(counties []OrgUnit, m Period, subs []Submission, cal *Calendar, deadlineDay int, mergeJanFeb bool, now time.Time) ReportingRate {
	r := ReportingRate{Month: m, Deadline: cal.Deadline(m, deadlineDay)}
	dueEnd := r.Deadline.AddDate(0, 0, 1)
	by := map[string][]Submission{}
	for _, s := range subs {
		if s.Period == m {
			by[s.Org] = append(by[s.Org], s)
		}
	}
	for _, c := range counties {
		cr := CountyReport{Org: c.Code, Deadline: r.Deadline}
		for i := range by[c.Code] {
			s := by[c.Code][i]
			if !ReceivedBy(s.ReceivedAt, now) {
				continue
			}
			switch s.Status {
			case SubAccepted:
				if cr.First == nil || s.ReceivedAt.Before(cr.First.ReceivedAt) {
					cr.First = &s
				}
				if cr.Current == nil || s.ReceivedAt.After(cr.Current.ReceivedAt) {
					cr.Current = &s
				}
			case SubRejected:
				cr.Rejected++
			}
		}
		cr.Overdue = !now.Before(dueEnd)
		switch {
		case cr.First != nil && cr.First.ReceivedAt.Before(dueEnd):
			cr.State = ReportOnTime
		case cr.First != nil:
			cr.State = ReportLate
		case mergeJanFeb && m.N == 1:
			cr.State = ReportMerged
		case cr.Rejected > 0:
			cr.State = ReportRejected
		case !cr.Overdue:
			cr.State = ReportNotDue
		default:
			cr.State = ReportMissing
		}
		if cr.State != ReportMerged {
			r.Expected++
		}
		switch cr.State {
		case ReportOnTime:
			r.OnTime++
			r.Received++
		case ReportLate:
			r.Late++
			r.Received++
		case ReportMissing:
			r.Missing++
		case ReportRejected:
			r.Rejected++
		case ReportNotDue:
			r.NotDue++
		case ReportMerged:
			r.Merged++
		}
		r.Counties = append(r.Counties, cr)
	}
	return r
}
