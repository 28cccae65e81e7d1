package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lingpao"
)

// SyncIssueCases brings the issue ledger up to date with the returns: every 问题台账 row of a current
// accepted return not seen before becomes a new case (征集, or the state the county gave it), or is
// recognised as a case already on the ledger — the same county and the same description, folded
// (lingpao.NormalizeIssue) — whose latest return and county status it then updates. The city's own
// status is never changed by a return; a county status that changes is recorded as an event. It
// returns how many cases were added. Safe to run at any time: each row is taken once.
func (d *DB) SyncIssueCases(ctx context.Context, now time.Time) (added int, err error) {
	defer lingpao.Wrap(&err, "sqlite.SyncIssueCases")
	// Most calls find nothing new: look before taking the write lock.
	var pending int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM issues i JOIN submissions s ON s.id = i.submission_id
		WHERE s.status = 'accepted' AND s.superseded_by IS NULL
		AND NOT EXISTS (SELECT 1 FROM issue_sources x WHERE x.submission_id = i.submission_id AND x.row = i.row)`).Scan(&pending); err != nil {
		return 0, err
	}
	if pending == 0 {
		return 0, nil
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.org, s.period, s.received_at, i.row, i.description, i.category, i.enterprise, i.department, i.status, i.raised, i.closed
			FROM issues i JOIN submissions s ON s.id = i.submission_id
			WHERE s.status = 'accepted' AND s.superseded_by IS NULL
			AND NOT EXISTS (SELECT 1 FROM issue_sources x WHERE x.submission_id = i.submission_id AND x.row = i.row)
			ORDER BY s.period, s.received_at, s.id, i.row`)
		if err != nil {
			return err
		}
		type src struct {
			sub      int64
			org      string
			period   string
			received time.Time
			is       lingpao.Issue
		}
		var srcs []src
		for rows.Next() {
			var x src
			var received string
			if err := rows.Scan(&x.sub, &x.org, &x.period, &received, &x.is.Row, &x.is.Description, &x.is.Category, &x.is.Enterprise,
				&x.is.Department, &x.is.Status, &x.is.Raised, &x.is.Closed); err != nil {
				rows.Close()
				return err
			}
			x.received = parseTime(received)
			srcs = append(srcs, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		at := formatTime(now)
		// Rows of one return taken in this pass: two rows with one description in one return are two
		// cases, not one.
		taken := map[int64]map[int64]bool{}
		for _, x := range srcs {
			norm := lingpao.NormalizeIssue(x.is.Description)
			if taken[x.sub] == nil {
				taken[x.sub] = map[int64]bool{}
			}
			id, prevCounty, status, err := matchCase(ctx, tx, x.org, norm, x.sub, taken[x.sub])
			if err != nil {
				return err
			}
			if id == 0 {
				id, err = newCase(ctx, tx, x.org, norm, x.sub, x.period, x.received, x.is, at)
				if err != nil {
					return err
				}
				added++
			} else {
				if _, err := tx.ExecContext(ctx, `UPDATE issue_cases SET last_submission = ?, last_period = ?, county_status = ?, updated_at = ?
					WHERE id = ? AND (last_period < ? OR (last_period = ? AND last_submission < ?))`,
					x.sub, x.period, x.is.Status, at, id, x.period, x.period, x.sub); err != nil {
					return err
				}
				if x.is.Status != "" && x.is.Status != prevCounty && x.is.Status != status {
					p, _ := lingpao.ParsePeriod(x.period)
					note := fmt.Sprintf("%s报表中，县里填报的办理状态为「%s」（市级台账状态为「%s」）。", p.Label(), x.is.Status, status)
					if err := addIssueEvent(ctx, tx, lingpao.IssueEvent{Case: id, At: x.received, Action: lingpao.IssueEventCounty, Status: status, Note: note}); err != nil {
						return err
					}
				}
			}
			taken[x.sub][id] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO issue_sources (submission_id, row, case_id) VALUES (?, ?, ?)`, x.sub, x.is.Row, id); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// matchCase finds the case a return's row continues: the same county and folded description, an
// open case before a closed one, the newest first; not one another row of the same return took.
func matchCase(ctx context.Context, tx *sql.Tx, org, norm string, sub int64, taken map[int64]bool) (id int64, county, status string, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, county_status, status FROM issue_cases WHERE org = ? AND norm = ?
		ORDER BY status = '办结销号', id DESC`, org, norm)
	if err != nil {
		return 0, "", "", err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&id, &county, &status); err != nil {
			return 0, "", "", err
		}
		if !taken[id] {
			return id, county, status, rows.Err()
		}
	}
	return 0, "", "", rows.Err()
}

// newCase opens a case for a row seen for the first time. It starts where the county says it stands:
// a row the county marks 交办 or 办理中 keeps its department, one it marks 办结销号 is closed.
func newCase(ctx context.Context, tx *sql.Tx, org, norm string, sub int64, period string, received time.Time, is lingpao.Issue, at string) (int64, error) {
	status := lingpao.IssueCollected
	for _, st := range lingpao.IssueStatuses {
		if st == is.Status {
			status = st
		}
	}
	raised := is.Raised
	if raised == "" {
		raised = lingpao.FormatDate(received)
	}
	var dept, closed, result string
	switch status {
	case lingpao.IssueAssigned, lingpao.IssueHandling:
		dept = is.Department
	case lingpao.IssueClosed:
		closed, result = is.Closed, "县里报告已办结。"
		if closed == "" {
			closed = lingpao.FormatDate(received)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO issue_cases (org, description, norm, category, enterprise, county_department, raised,
		first_submission, first_period, last_submission, last_period, county_status, status, department, closed, result, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, is.Description, norm, is.Category, is.Enterprise, is.Department, raised, sub, period, sub, period, is.Status, status, dept, closed, result, at, at)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	p, _ := lingpao.ParsePeriod(period)
	note := fmt.Sprintf("由%s报表问题台账第%d行收集", p.Label(), is.Row)
	if is.Status != "" {
		note += fmt.Sprintf("，县里填报的办理状态为「%s」", is.Status)
	}
	// The problem was raised when the return came, whenever the ledger took it in.
	ev := lingpao.IssueEvent{Case: id, At: received, Action: lingpao.IssueEventCollect, Status: status, Department: dept, Note: note + "。"}
	return id, addIssueEvent(ctx, tx, ev)
}

func addIssueEvent(ctx context.Context, tx *sql.Tx, e lingpao.IssueEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO issue_events (case_id, at, user_name, action, status, department, deadline, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Case, formatTime(e.At), e.User, e.Action, e.Status, e.Department, e.Deadline, e.Note)
	return err
}

// IssueCaseFilter selects cases of the ledger. Zero fields do not filter.
type IssueCaseFilter struct {
	Org string
	// Status is one of lingpao.IssueStatuses; Open keeps the cases not closed.
	Status string
	Open   bool
	// Overdue keeps the open cases whose deadline day is before Today (2025-10-09).
	Overdue bool
	Today   string
	// Query matches the description, enterprise, category and departments.
	Query string
	// Limit caps the cases returned (0: no cap).
	Limit int
}

const caseColumns = `id, org, description, category, enterprise, county_department, raised, first_submission, first_period,
	last_submission, last_period, county_status, status, department, deadline, assigned_at, opinion, closed, result, created_at, updated_at`

func scanCase(sc interface{ Scan(...any) error }) (lingpao.IssueCase, error) {
	var c lingpao.IssueCase
	var first, last, assigned, created, updated string
	err := sc.Scan(&c.ID, &c.Org, &c.Description, &c.Category, &c.Enterprise, &c.CountyDepartment, &c.Raised, &c.FirstSubmission, &first,
		&c.LastSubmission, &last, &c.CountyStatus, &c.Status, &c.Department, &c.Deadline, &assigned, &c.Opinion, &c.Closed, &c.Result, &created, &updated)
	c.FirstPeriod, _ = lingpao.ParsePeriod(first)
	c.LastPeriod, _ = lingpao.ParsePeriod(last)
	c.AssignedAt, c.CreatedAt, c.UpdatedAt = parseTime(assigned), parseTime(created), parseTime(updated)
	return c, err
}

// FindIssueCases returns the cases f selects — overdue first, then open before closed, the newest
// first — and how many there are in all (before Limit).
func (d *DB) FindIssueCases(ctx context.Context, f IssueCaseFilter) (_ []lingpao.IssueCase, total int, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindIssueCases")
	where, args := []string{"1=1"}, []any{}
	if f.Org != "" {
		where, args = append(where, "org = ?"), append(args, f.Org)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Open || f.Overdue {
		where = append(where, "status != '办结销号'")
	}
	if f.Overdue {
		where, args = append(where, "deadline != '' AND deadline < ?"), append(args, f.Today)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + escapeLike(q) + "%"
		where = append(where, `(description LIKE ? ESCAPE '\' OR enterprise LIKE ? ESCAPE '\' OR category LIKE ? ESCAPE '\' OR department LIKE ? ESCAPE '\' OR county_department LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	cond := strings.Join(where, " AND ")
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM issue_cases WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + caseColumns + ` FROM issue_cases WHERE ` + cond +
		` ORDER BY (status != '办结销号' AND deadline != '' AND deadline < ?) DESC, status = '办结销号', raised DESC, id DESC`
	args = append(args, f.Today)
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []lingpao.IssueCase
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// escapeLike escapes the LIKE wildcards of s (with \ as the escape character).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// IssueTally counts the cases at each status and the overdue ones, for an org ("" for all).
type IssueTally struct {
	ByStatus map[string]int
	Overdue  int
}

// TallyIssueCases counts the cases of org ("" for every county) by status, and the open ones whose
// deadline day is before today.
func (d *DB) TallyIssueCases(ctx context.Context, org, today string) (_ IssueTally, err error) {
	defer lingpao.Wrap(&err, "sqlite.TallyIssueCases")
	t := IssueTally{ByStatus: map[string]int{}}
	rows, err := d.db.QueryContext(ctx, `SELECT status, COUNT(*), SUM(status != '办结销号' AND deadline != '' AND deadline < ?) FROM issue_cases
		WHERE (? = '' OR org = ?) GROUP BY status`, today, org, org)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n, late int
		if err := rows.Scan(&st, &n, &late); err != nil {
			return t, err
		}
		t.ByStatus[st] = n
		t.Overdue += late
	}
	return t, rows.Err()
}

// IssueSource is a 问题台账 row a case was seen in.
type IssueSource struct {
	Submission int64
	Period     lingpao.Period
	Row        int
	Status     string // the county's 办理状态 in that row
	ReceivedAt time.Time
}

// FindIssueCase returns case id with its events (oldest first) and the returns it was seen in, or
// ENOTFOUND.
func (d *DB) FindIssueCase(ctx context.Context, id int64) (_ lingpao.IssueCase, _ []lingpao.IssueEvent, _ []IssueSource, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindIssueCase(%d)", id)
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return lingpao.IssueCase{}, nil, nil, err
	}
	defer tx.Rollback()
	c, err := findCase(ctx, tx, id)
	if err != nil {
		return c, nil, nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, at, user_name, action, status, department, deadline, note FROM issue_events WHERE case_id = ? ORDER BY at, id`, id)
	if err != nil {
		return c, nil, nil, err
	}
	var evs []lingpao.IssueEvent
	for rows.Next() {
		e := lingpao.IssueEvent{Case: id}
		var at string
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Action, &e.Status, &e.Department, &e.Deadline, &e.Note); err != nil {
			rows.Close()
			return c, nil, nil, err
		}
		e.At = parseTime(at)
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, nil, nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT x.submission_id, s.period, x.row, i.status, s.received_at FROM issue_sources x
		JOIN submissions s ON s.id = x.submission_id JOIN issues i ON i.submission_id = x.submission_id AND i.row = x.row
		WHERE x.case_id = ? ORDER BY s.period, s.received_at`, id)
	if err != nil {
		return c, nil, nil, err
	}
	defer rows.Close()
	var srcs []IssueSource
	for rows.Next() {
		var s IssueSource
		var period, received string
		if err := rows.Scan(&s.Submission, &period, &s.Row, &s.Status, &received); err != nil {
			return c, nil, nil, err
		}
		s.Period, _ = lingpao.ParsePeriod(period)
		s.ReceivedAt = parseTime(received)
		srcs = append(srcs, s)
	}
	return c, evs, srcs, rows.Err()
}

func findCase(ctx context.Context, tx *sql.Tx, id int64) (lingpao.IssueCase, error) {
	c, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM issue_cases WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, lingpao.Errorf(lingpao.ENOTFOUND, "问题台账中没有编号为 %d 的问题。", id)
	}
	return c, err
}

// IssueAction is one of the city's steps on a case, by User at At.
type IssueAction struct {
	Case int64
	User string
	At   time.Time
	// Department and Deadline (2025-10-20) are those of an assignment (交办).
	Department string
	Deadline   string
	// Note is the assignment's request, the handling opinion, the closing result or the reason to
	// reopen.
	Note string
}

// AssignIssue assigns an open case to a department with a deadline (分解交办); assigning again moves
// the department or the deadline. The case stands at 交办.
func (d *DB) AssignIssue(ctx context.Context, a IssueAction) (_ lingpao.IssueCase, err error) {
	defer lingpao.Wrap(&err, "sqlite.AssignIssue(%d)", a.Case)
	return d.issueStep(ctx, a, func(c *lingpao.IssueCase) (lingpao.IssueEvent, error) {
		if !c.Open() {
			return lingpao.IssueEvent{}, lingpao.Errorf(lingpao.ECONFLICT, "该问题已办结销号，不能再交办：如问题仍未解决，请先“重新打开”。")
		}
		c.Status, c.Department, c.Deadline, c.AssignedAt = lingpao.IssueAssigned, a.Department, a.Deadline, a.At
		return lingpao.IssueEvent{Action: lingpao.IssueEventAssign, Department: a.Department, Deadline: a.Deadline, Note: a.Note}, nil
	})
}

// AddIssueOpinion records a handling opinion (办理意见, 对接服务) on an assigned case, which then stands
// at 办理中.
func (d *DB) AddIssueOpinion(ctx context.Context, a IssueAction) (_ lingpao.IssueCase, err error) {
	defer lingpao.Wrap(&err, "sqlite.AddIssueOpinion(%d)", a.Case)
	return d.issueStep(ctx, a, func(c *lingpao.IssueCase) (lingpao.IssueEvent, error) {
		switch c.Status {
		case lingpao.IssueClosed:
			return lingpao.IssueEvent{}, lingpao.Errorf(lingpao.ECONFLICT, "该问题已办结销号，不能再填写办理意见：如问题仍未解决，请先“重新打开”。")
		case lingpao.IssueCollected:
			return lingpao.IssueEvent{}, lingpao.Errorf(lingpao.ECONFLICT, "该问题尚未交办：请先交办给责任部门并定好办理时限，再填写办理意见。")
		}
		c.Status, c.Opinion = lingpao.IssueHandling, a.Note
		return lingpao.IssueEvent{Action: lingpao.IssueEventOpinion, Note: a.Note}, nil
	})
}

// CloseIssue strikes a case off the ledger (办结销号) with how it was solved; the date is At's.
func (d *DB) CloseIssue(ctx context.Context, a IssueAction) (_ lingpao.IssueCase, err error) {
	defer lingpao.Wrap(&err, "sqlite.CloseIssue(%d)", a.Case)
	return d.issueStep(ctx, a, func(c *lingpao.IssueCase) (lingpao.IssueEvent, error) {
		if !c.Open() {
			return lingpao.IssueEvent{}, lingpao.Errorf(lingpao.ECONFLICT, "该问题已于 %s 办结销号。", c.Closed)
		}
		c.Status, c.Closed, c.Result = lingpao.IssueClosed, lingpao.FormatDate(a.At), a.Note
		return lingpao.IssueEvent{Action: lingpao.IssueEventClose, Note: a.Note}, nil
	})
}

// ReopenIssue puts a closed case back on the ledger: 办理中 when it had a department, else 征集.
func (d *DB) ReopenIssue(ctx context.Context, a IssueAction) (_ lingpao.IssueCase, err error) {
	defer lingpao.Wrap(&err, "sqlite.ReopenIssue(%d)", a.Case)
	return d.issueStep(ctx, a, func(c *lingpao.IssueCase) (lingpao.IssueEvent, error) {
		if c.Open() {
			return lingpao.IssueEvent{}, lingpao.Errorf(lingpao.ECONFLICT, "该问题尚未办结，无需重新打开。")
		}
		c.Status = lingpao.IssueCollected
		if c.Department != "" {
			c.Status = lingpao.IssueHandling
		}
		c.Closed, c.Result = "", ""
		return lingpao.IssueEvent{Action: lingpao.IssueEventReopen, Note: a.Note}, nil
	})
}

// issueStep applies one step to a case in one transaction and records its event.
func (d *DB) issueStep(ctx context.Context, a IssueAction, step func(c *lingpao.IssueCase) (lingpao.IssueEvent, error)) (lingpao.IssueCase, error) {
	var c lingpao.IssueCase
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = findCase(ctx, tx, a.Case); err != nil {
			return err
		}
		ev, err := step(&c)
		if err != nil {
			return err
		}
		c.UpdatedAt = a.At
		assigned := ""
		if !c.AssignedAt.IsZero() {
			assigned = formatTime(c.AssignedAt)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE issue_cases SET status = ?, department = ?, deadline = ?, assigned_at = ?, opinion = ?, closed = ?, result = ?, updated_at = ? WHERE id = ?`,
			c.Status, c.Department, c.Deadline, assigned, c.Opinion, c.Closed, c.Result, formatTime(a.At), c.ID); err != nil {
			return err
		}
		ev.Case, ev.At, ev.User, ev.Status = c.ID, a.At, a.User, c.Status
		return addIssueEvent(ctx, tx, ev)
	})
	return c, err
}

// IssueDepartments returns the departments cases were assigned to or counties named, most used first:
// the suggestions of the assignment form.
func (d *DB) IssueDepartments(ctx context.Context) (_ []string, err error) {
	defer lingpao.Wrap(&err, "sqlite.IssueDepartments")
	rows, err := d.db.QueryContext(ctx, `SELECT dept FROM (SELECT department AS dept FROM issue_events WHERE department != ''
		UNION ALL SELECT county_department FROM issue_cases WHERE county_department != '') GROUP BY dept ORDER BY COUNT(*) DESC, dept LIMIT 60`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// IssueCasesForTemplate returns what county org's return template for a month lists in its 问题台账:
// the open cases, and those closed on or after since (2025-10-01) so that the county sees them struck
// off once — in the order they were raised.
func (d *DB) IssueCasesForTemplate(ctx context.Context, org, since string) (_ []lingpao.IssueCase, err error) {
	defer lingpao.Wrap(&err, "sqlite.IssueCasesForTemplate(%s)", org)
	rows, err := d.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM issue_cases WHERE org = ? AND (status != '办结销号' OR closed >= ?)
		ORDER BY raised, id`, org, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.IssueCase
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
