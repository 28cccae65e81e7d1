package lingpao

import "time"

// Problem is something that needs an operator: a report that could not be made, a file stuck in the
// inbox, mail a server refuses, a full disk. Whoever finds it describes it the same way every time it
// looks, under the same Key, so that it is announced once, reminded of at most daily, and announced
// again when it is gone — however often it is seen in between.
type Problem struct {
	// Key identifies the problem across runs and restarts (e.g. run/monthly/2025-10-05T01:00:00Z,
	// poll/file/鹿泉区/x.xlsx/ab12…); it never contains a time of seeing.
	Key string `json:"key"`
	// Title names it in one line; Detail says what happened; Action says what to do. All Chinese.
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
	Action string `json:"action"`
	// Once problems are announced when they appear and when they are resolved, without daily
	// reminders (a mail the server refused: the admins are told once).
	Once bool `json:"-"`
	// Silent problems are listed but never mailed: problems of the mail to the admins themselves,
	// whose notices would go the same way.
	Silent bool `json:"-"`
}

// Alarm is a problem as the store remembers it: when it was first and last seen, when the admins were
// last told, and whether it was resolved or acknowledged.
type Alarm struct {
	ID int64 `json:"id"`
	Problem
	// Scope is the finder's: the set of open problems a finder reports replaces the open alarms of its
	// scope (those not in it are resolved).
	Scope  string    `json:"scope"`
	Opened time.Time `json:"opened"`
	Seen   time.Time `json:"seen"`
	// Notified is the last notice (the opening or a reminder); Reminders counts the reminders sent.
	Notified  time.Time `json:"notified"`
	Reminders int       `json:"reminders"`
	// Resolved is when it went away (zero while open).
	Resolved time.Time `json:"resolved,omitzero"`
	// Acked is when an operator acknowledged it (zero if not): no more reminders, and it no longer
	// makes the service unhealthy; it stays listed until resolved.
	Acked   time.Time `json:"acked,omitzero"`
	AckedBy string    `json:"acked_by,omitempty"`
	AckNote string    `json:"ack_note,omitempty"`
}

// AlarmReminderEvery is how often an open, unacknowledged problem is reminded of: at most daily.
const AlarmReminderEvery = 24 * time.Hour

// IsOpen reports whether the alarm is unresolved.
func (a Alarm) IsOpen() bool { return a.Resolved.IsZero() }

// ReminderDue reports whether an open alarm should be reminded of at now.
func (a Alarm) ReminderDue(now time.Time) bool {
	return a.IsOpen() && a.Acked.IsZero() && !a.Once && !now.Before(a.Notified.Add(AlarmReminderEvery))
}

// AlarmChanges is what one look at a scope changed: problems that appeared, were reminded of, and
// went away.
type AlarmChanges struct {
	Opened, Reminded, Resolved []Alarm
}

// Empty reports whether nothing changed that anyone should be told.
func (c AlarmChanges) Empty() bool {
	return len(c.Opened)+len(c.Reminded)+len(c.Resolved) == 0
}
