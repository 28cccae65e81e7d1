package lingpao

import "time"

// Holiday is a day of the working calendar that differs from the weekday rule: a statutory holiday
// (Off) or a make-up working day on a weekend (调休, !Off).
type Holiday struct {
	Date time.Time `yaml:"-" json:"date"`
	Name string    `yaml:"name" json:"name"`
	Off  bool      `yaml:"off" json:"off"`
}

// Calendar is the Chinese working calendar: weekdays work, weekends rest, unless the holiday table says
// otherwise.
type Calendar struct {
	days map[string]Holiday
	// From and To bound the years the table covers; outside them only the weekday rule applies.
	From, To int
}

// NewCalendar builds a calendar from a holiday table.
func NewCalendar(hs []Holiday) *Calendar {
	c := &Calendar{days: map[string]Holiday{}}
	for _, h := range hs {
		c.days[FormatDate(h.Date)] = h
		y := h.Date.In(Beijing).Year()
		if c.From == 0 || y < c.From {
			c.From = y
		}
		if y > c.To {
			c.To = y
		}
	}
	return c
}

// IsWorkday reports whether the date of t (Beijing time) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	if h, ok := c.days[FormatDate(t)]; ok {
		return !h.Off
	}
	wd := t.In(Beijing).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday returns the table entry for the date of t, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.days[FormatDate(t)]
	return h, ok
}

// NextWorkday returns t's date if it is a working day, else the next working day (00:00 Beijing).
func (c *Calendar) NextWorkday(t time.Time) time.Time {
	t = t.In(Beijing)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Beijing)
	for !c.IsWorkday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// AddWorkdays moves n working days from t's date (backwards for negative n).
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	t = t.In(Beijing)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Beijing)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Deadline returns the due date of month m's return under 「次月day日前，遇法定节假日顺延」: day `day`
// of the following month, moved to the next working day when it is not one. The return is due by the
// end of that day.
func (c *Calendar) Deadline(m Period, day int) time.Time {
	next := m.LastMonth().End()
	d := time.Date(next.Year(), next.Month(), day, 0, 0, 0, 0, Beijing)
	return c.NextWorkday(d)
}
