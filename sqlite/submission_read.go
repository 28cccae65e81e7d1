package sqlite

import (
	"context"

	"lingpao"
)

// SubmissionPeriods returns the distinct periods any file was received for, newest first.
func (d *DB) SubmissionPeriods(ctx context.Context) (_ []string, err error) {
	defer lingpao.Wrap(&err, "sqlite.SubmissionPeriods")
	rows, err := d.db.QueryContext(ctx, `SELECT DISTINCT period FROM submissions WHERE period <> '' ORDER BY period DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SubmissionValues returns the numbers stored from submission id with the cell each came from, by
// cluster and indicator. A rejected submission has none.
func (d *DB) SubmissionValues(ctx context.Context, id int64) (_ []lingpao.Value, err error) {
	defer lingpao.Wrap(&err, "sqlite.SubmissionValues(%d)", id)
	rows, err := d.db.QueryContext(ctx, `SELECT s.org, s.period, v.cluster, v.indicator, v.value, v.sheet, v.cell
		FROM cell_values v JOIN submissions s ON s.id = v.submission_id WHERE v.submission_id = ? ORDER BY v.cluster, v.indicator`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Value
	for rows.Next() {
		v := lingpao.Value{Submission: id}
		var period string
		if err := rows.Scan(&v.Org, &period, &v.Cluster, &v.Indicator, &v.V, &v.Sheet, &v.Cell); err != nil {
			return nil, err
		}
		v.Period, _ = lingpao.ParsePeriod(period)
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindingCount is how many errors and warnings a submission has.
type FindingCount struct {
	Errors, Warnings int
}

// FindingCounts returns the number of errors and warnings of every submission that has findings.
func (d *DB) FindingCounts(ctx context.Context) (_ map[int64]FindingCount, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindingCounts")
	rows, err := d.db.QueryContext(ctx, `SELECT submission_id, SUM(severity = 'error'), SUM(severity = 'warning') FROM findings GROUP BY submission_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]FindingCount{}
	for rows.Next() {
		var id int64
		var c FindingCount
		if err := rows.Scan(&id, &c.Errors, &c.Warnings); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}
