package lingpao

import (
	"strings"
	"time"
	"unicode"
)

// The issue-ledger states (IssueStatuses) by name.
const (
	IssueCollected = "征集"   // raised by a county, not yet assigned
	IssueAssigned  = "交办"   // assigned to a department with a deadline
	IssueHandling  = "办理中"  // the department is on it: opinions recorded
	IssueClosed    = "办结销号" // solved and struck off the ledger
)

// IssueCase is one problem of the issue ledger (问题台账) followed as a workflow — 问题征集、分解交办、
// 对接服务、办结销号 (石政办函〔2022〕44号 三、(二)): raised by a county in its return, assigned by the
// city to a department with a deadline, handled with recorded opinions, and struck off once solved.
// The same problem in the county's later returns is the same case.
type IssueCase struct {
	ID          int64  `json:"id"`
	Org         string `json:"org"`
	Description string `json:"description"`
	Category    string `json:"category,omitempty"`
	Enterprise  string `json:"enterprise,omitempty"`
	// CountyDepartment is the 责任部门 the county wrote; Department the one the city assigned.
	CountyDepartment string `json:"county_department,omitempty"`
	// Raised is the date the problem was raised (2025-09-12).
	Raised string `json:"raised,omitempty"`
	// FirstSubmission and FirstPeriod are the return it was first seen in; Last… the latest.
	FirstSubmission int64  `json:"first_submission"`
	FirstPeriod     Period `json:"-"`
	LastSubmission  int64  `json:"last_submission"`
	LastPeriod      Period `json:"-"`
	// CountyStatus is the 办理状态 in the county's latest return.
	CountyStatus string `json:"county_status,omitempty"`
	// Status is one of IssueStatuses, set by the city's actions.
	Status     string    `json:"status"`
	Department string    `json:"department,omitempty"`
	Deadline   string    `json:"deadline,omitempty"`
	AssignedAt time.Time `json:"assigned_at"`
	// Opinion is the latest 办理意见.
	Opinion string `json:"opinion,omitempty"`
	// Closed is the date it was struck off; Result how it was solved.
	Closed    string    `json:"closed,omitempty"`
	Result    string    `json:"result,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Open reports whether the case is still on the ledger.
func (c IssueCase) Open() bool { return c.Status != IssueClosed }

// Overdue reports whether an open case has passed its deadline: the deadline day is over at now.
func (c IssueCase) Overdue(now time.Time) bool { return c.DaysOverdue(now) > 0 }

// DaysOverdue counts the calendar days since the deadline day of an open case (0 when not overdue or
// without a deadline).
func (c IssueCase) DaysOverdue(now time.Time) int {
	if !c.Open() || c.Deadline == "" {
		return 0
	}
	d, err := time.ParseInLocation("2006-01-02", c.Deadline, Beijing)
	if err != nil {
		return 0
	}
	n := now.In(Beijing)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, Beijing)
	if !today.After(d) {
		return 0
	}
	return int(today.Sub(d).Hours()/24 + 0.5)
}

// IssueEvent is one step of a case: collected from a return, assigned, an opinion, closed, reopened,
// or the county's own status changing in a later return.
type IssueEvent struct {
	ID     int64     `json:"id"`
	Case   int64     `json:"case"`
	At     time.Time `json:"at"`
	User   string    `json:"user,omitempty"`
	Action string    `json:"action"`
	// Status is the case's status after the event.
	Status     string `json:"status"`
	Department string `json:"department,omitempty"`
	Deadline   string `json:"deadline,omitempty"`
	Note       string `json:"note,omitempty"`
}

// The issue events' actions.
const (
	IssueEventCollect = "collect"
	IssueEventAssign  = "assign"
	IssueEventOpinion = "opinion"
	IssueEventClose   = "close"
	IssueEventReopen  = "reopen"
	IssueEventCounty  = "county"
)

// IssueEventLabel names an event's action in Chinese.
func IssueEventLabel(action string) string {
	switch action {
	case IssueEventCollect:
		return "问题征集"
	case IssueEventAssign:
		return "分解交办"
	case IssueEventOpinion:
		return "办理意见"
	case IssueEventClose:
		return "办结销号"
	case IssueEventReopen:
		return "重新打开"
	case IssueEventCounty:
		return "县报更新"
	}
	return action
}

// NormalizeIssue folds a problem's description for matching it across returns: full-width letters,
// digits and punctuation to half-width, runs of spaces removed, Latin letters lower-cased, and the
// trailing full stop dropped.
func NormalizeIssue(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\u3000' || unicode.IsSpace(r):
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), "。.;；")
}
