package lingpao

import "time"

// ReminderKind is whether a reminder comes before the deadline or after it.
type ReminderKind string

// The reminder kinds.
const (
	RemindBefore  ReminderKind = "before"  // 报送提醒: the deadline is near
	RemindOverdue ReminderKind = "overdue" // 催报: the deadline has passed
)

// ReminderDue is one month's return that counties which have not reported it are reminded of on a
// given day.
type ReminderDue struct {
	Month    Period
	Deadline time.Time
	Kind     ReminderKind
	// Workdays is the number of working days left before the deadline (before: the deadline day
	// itself not counted) or passed since it (overdue).
	Workdays int
}

// RemindersDue returns the months whose returns are chased on the date of day: on the working days
// rc.Before working days ahead of each month's deadline (T−3, T−1), and when the deadline has passed
// on the first working day after it and then every rc.OverdueEvery working days, until the next
// month's deadline. Deadlines follow the holiday calendar (「每月5日前，遇法定节假日顺延」). With
// mergeJanFeb there is no January return to chase. Nothing is due on a day that is not a working day.
func RemindersDue(cal *Calendar, day time.Time, deadlineDay int, mergeJanFeb bool, rc ReminderConfig) []ReminderDue {
	day = reminderDate(day)
	if !cal.IsWorkday(day) {
		return nil
	}
	var out []ReminderDue
	cur := MonthOfTime(day)
	for _, m := range []Period{cur.Add(-2), cur.Add(-1), cur} {
		if mergeJanFeb && m.N == 1 {
			continue
		}
		d := cal.Deadline(m, deadlineDay)
		switch {
		case day.Before(d):
			for _, k := range rc.Before {
				if k > 0 && cal.AddWorkdays(d, -k).Equal(day) {
					out = append(out, ReminderDue{Month: m, Deadline: d, Kind: RemindBefore, Workdays: k})
					break
				}
			}
		case day.After(d) && rc.Overdue && day.Before(cal.Deadline(m.Add(1), deadlineDay)):
			n := workdaysAfter(cal, d, day)
			if n == 1 || (rc.OverdueEvery > 0 && (n-1)%rc.OverdueEvery == 0) {
				out = append(out, ReminderDue{Month: m, Deadline: d, Kind: RemindOverdue, Workdays: n})
			}
		}
	}
	return out
}

// workdaysAfter counts the working days after from's date up to and including to's date (0 when to
// is not after from).
func workdaysAfter(c *Calendar, from, to time.Time) int {
	n := 0
	for d := reminderDate(from).AddDate(0, 0, 1); !d.After(reminderDate(to)); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// reminderDate returns midnight (Beijing time) of t's date.
func reminderDate(t time.Time) time.Time {
	t = t.In(Beijing)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Beijing)
}
