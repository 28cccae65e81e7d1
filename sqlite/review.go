package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lingpao"
)

// The review actions (审核).
const (
	ReviewAccept      = "accept"      // the current version reviewed and accepted, with a note
	ReviewReturn      = "return"      // sent back to the county with a comment: no longer accepted
	ReviewExplanation = "explanation" // a warning's 情况说明 accepted
)

// RuleReturned is the rule of the finding a returned submission carries: the error that says why.
const RuleReturned = "review.returned"

// Review is one review action on a submission, by a user of the web page.
type Review struct {
	ID         int64
	Submission int64
	Action     string
	// Finding is the warning whose 情况说明 an explanation review accepts.
	Finding  int64
	Note     string
	UserID   int64
	UserName string
	At       time.Time
	// Restored is, for a return, the earlier accepted version of the county and month that is in
	// force again; Receipt the receipt written into the county's folder (relative to the workspace).
	Restored int64
	Receipt  string
}

// FindingRef is a stored finding with its id, which a review names.
type FindingRef struct {
	ID int64
	lingpao.Finding
}

// SubmissionFindings returns the findings of submission id with their ids, in order.
func (d *DB) SubmissionFindings(ctx context.Context, id int64) (_ []FindingRef, err error) {
	defer lingpao.Wrap(&err, "sqlite.SubmissionFindings(%d)", id)
	rows, err := d.db.QueryContext(ctx, `SELECT id, severity, rule, sheet, cell, value, message FROM findings WHERE submission_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingRef
	for rows.Next() {
		var f FindingRef
		var sev string
		if err := rows.Scan(&f.ID, &sev, &f.Rule, &f.Sheet, &f.Cell, &f.Value, &f.Message); err != nil {
			return nil, err
		}
		f.Severity = lingpao.Severity(sev)
		out = append(out, f)
	}
	return out, rows.Err()
}

const reviewColumns = `id, submission_id, action, COALESCE(finding_id, 0), note, COALESCE(user_id, 0), user_name, at, COALESCE(restored_id, 0), receipt`

func scanReview(sc interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var at string
	err := sc.Scan(&r.ID, &r.Submission, &r.Action, &r.Finding, &r.Note, &r.UserID, &r.UserName, &at, &r.Restored, &r.Receipt)
	r.At = parseTime(at)
	return r, err
}

// Reviews returns the reviews of the given submissions, oldest first, by submission.
func (d *DB) Reviews(ctx context.Context, ids ...int64) (_ map[int64][]Review, err error) {
	defer lingpao.Wrap(&err, "sqlite.Reviews")
	out := map[int64][]Review{}
	err = d.readChunks(ctx, ids, func(tx *sql.Tx, part []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+reviewColumns+` FROM submission_reviews WHERE submission_id IN (`+placeholders(len(part))+`) ORDER BY at, id`, part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanReview(rows)
			if err != nil {
				return err
			}
			out[r.Submission] = append(out[r.Submission], r)
		}
		return rows.Err()
	})
	return out, err
}

// ReviewsOfPeriod returns the reviews of the submissions for a period, by submission.
func (d *DB) ReviewsOfPeriod(ctx context.Context, period string) (_ map[int64][]Review, err error) {
	defer lingpao.Wrap(&err, "sqlite.ReviewsOfPeriod(%s)", period)
	rows, err := d.db.QueryContext(ctx, `SELECT `+reviewColumns+` FROM submission_reviews
		WHERE submission_id IN (SELECT id FROM submissions WHERE period = ?) ORDER BY at, id`, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Review{}
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, err
		}
		out[r.Submission] = append(out[r.Submission], r)
	}
	return out, rows.Err()
}

// currentAccepted loads submission id and checks that it is accepted and in force.
func currentAccepted(ctx context.Context, tx *sql.Tx, id int64) (lingpao.Submission, error) {
	s, err := scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, lingpao.Errorf(lingpao.ENOTFOUND, "报送记录 %d 不存在。", id)
	case err != nil:
		return s, err
	case s.Status != lingpao.SubAccepted:
		return s, lingpao.Errorf(lingpao.ECONFLICT, "文件“%s”未被受理（或已退回），不能再审核：请审核该县本期的现行版本。", s.FileName)
	case s.SupersededBy != 0:
		return s, lingpao.Errorf(lingpao.ECONFLICT, "文件“%s”已被该县后来报送的版本替代，只能审核现行版本。", s.FileName)
	}
	return s, nil
}

func insertReview(ctx context.Context, tx *sql.Tx, r *Review) error {
	var finding, uid, restored any
	if r.Finding != 0 {
		finding = r.Finding
	}
	if r.UserID != 0 {
		uid = r.UserID
	}
	if r.Restored != 0 {
		restored = r.Restored
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO submission_reviews (submission_id, action, finding_id, note, user_id, user_name, at, restored_id, receipt)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Submission, r.Action, finding, r.Note, uid, r.UserName, formatTime(r.At), restored, r.Receipt)
	if err != nil {
		return err
	}
	r.ID, err = res.LastInsertId()
	return err
}

// AcceptReviewed records that the current version r.Submission was reviewed and accepted (审核通过)
// with r.Note, and sets r.ID.
func (d *DB) AcceptReviewed(ctx context.Context, r *Review) (err error) {
	defer lingpao.Wrap(&err, "sqlite.AcceptReviewed(%d)", r.Submission)
	r.Action = ReviewAccept
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := currentAccepted(ctx, tx, r.Submission); err != nil {
			return err
		}
		return insertReview(ctx, tx, r)
	})
}

// AcceptExplanation records that the 情况说明 of warning r.Finding of the current version
// r.Submission is accepted, and sets r.ID. A finding accepted once is ECONFLICT.
func (d *DB) AcceptExplanation(ctx context.Context, r *Review) (err error) {
	defer lingpao.Wrap(&err, "sqlite.AcceptExplanation(%d, %d)", r.Submission, r.Finding)
	r.Action = ReviewExplanation
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := currentAccepted(ctx, tx, r.Submission); err != nil {
			return err
		}
		var sev string
		err := tx.QueryRowContext(ctx, `SELECT severity FROM findings WHERE id = ? AND submission_id = ?`, r.Finding, r.Submission).Scan(&sev)
		if errors.Is(err, sql.ErrNoRows) {
			return lingpao.Errorf(lingpao.ENOTFOUND, "该报表没有这条警告：请刷新页面后重试。")
		} else if err != nil {
			return err
		}
		if sev != string(lingpao.SevWarning) {
			return lingpao.Errorf(lingpao.EINVALID, "只有“警告”可以认可情况说明；“错误”须由县里改正。")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM submission_reviews WHERE submission_id = ? AND finding_id = ? AND action = 'explanation'`,
			r.Submission, r.Finding).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return lingpao.Errorf(lingpao.ECONFLICT, "这条警告的情况说明已经认可过了。")
		}
		return insertReview(ctx, tx, r)
	})
}

// ReturnSubmission sends the current version r.Submission back to its county (退回) in one
// transaction: it stops counting as accepted (its status becomes rejected, with reason and an error
// finding carrying message, so that neither a report nor the reporting rate counts it and the same
// file dropped again is a duplicate, not a new return), the county's earlier accepted version of the
// month, if any, is in force again (r.Restored), and the review is recorded (r.ID). What was loaded
// for reports before is forgotten.
func (d *DB) ReturnSubmission(ctx context.Context, r *Review, reason, message string) (err error) {
	defer lingpao.Wrap(&err, "sqlite.ReturnSubmission(%d)", r.Submission)
	r.Action = ReviewReturn
	err = d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := currentAccepted(ctx, tx, r.Submission); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET status = 'rejected', reason = ? WHERE id = ?`, reason, r.Submission); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO findings (submission_id, severity, rule, sheet, cell, value, message) VALUES (?, 'error', ?, '', '', '', ?)`,
			r.Submission, RuleReturned, message); err != nil {
			return err
		}
		var prev int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM submissions WHERE superseded_by = ? AND status = 'accepted'`, r.Submission).Scan(&prev)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE submissions SET superseded_by = NULL WHERE id = ?`, prev); err != nil {
				return err
			}
			r.Restored = prev
		}
		return insertReview(ctx, tx, r)
	})
	if err == nil {
		d.data.clear()
	}
	return err
}

// SetReviewReceipt records the receipt written for review id.
func (d *DB) SetReviewReceipt(ctx context.Context, id int64, path string) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SetReviewReceipt(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE submission_reviews SET receipt = ? WHERE id = ?`, path, id)
		return err
	})
}

// clear forgets every kept load: a review changed which submissions are in force, which the cache's
// checks (the largest id, the times of receipt) cannot see.
func (c *dataCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}

// ReviewCount is how many findings a submission under review has: errors, warnings, and the warnings
// that ask for a 情况说明 (their message says so).
type ReviewCount struct {
	Errors, Warnings, AskExplanation int
}

// ReviewCounts returns the finding counts of the submissions for a period, by submission.
func (d *DB) ReviewCounts(ctx context.Context, period string) (_ map[int64]ReviewCount, err error) {
	defer lingpao.Wrap(&err, "sqlite.ReviewCounts(%s)", period)
	rows, err := d.db.QueryContext(ctx, `SELECT f.submission_id, SUM(f.severity = 'error'), SUM(f.severity = 'warning'),
		SUM(f.severity = 'warning' AND f.message LIKE '%情况说明%')
		FROM findings f JOIN submissions s ON s.id = f.submission_id WHERE s.period = ? GROUP BY f.submission_id`, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ReviewCount{}
	for rows.Next() {
		var id int64
		var c ReviewCount
		if err := rows.Scan(&id, &c.Errors, &c.Warnings, &c.AskExplanation); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}
