package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"lingpao"
)

// Making a report loads the same data more than once — the escalation ladder from the first month
// reported, the report from the start of its plans, a regenerated edition as of its own cut-off —
// and the service and the web page load it again for every page and job. LoadDataSet therefore
// keeps its last few loads and answers from one when that is exactly what loading again would give:
//
//   - no submission has been stored since (the largest submission id is the same: rows are only ever
//     added, and a submission's status, period and time of receipt never change);
//   - it covers the months asked for (the months outside are left out of the answer);
//   - no accepted submission was received between its cut-off and the one asked for, so the same
//     returns are in force at both.
type dataCache struct {
	mu      sync.Mutex
	entries []dataEntry // most recent last
	loads   int         // loads kept so far
}

// dataCacheSize bounds the loads kept: a province's data set of a year and a half is some tens of MB.
const dataCacheSize = 2

type dataEntry struct {
	from, to lingpao.Period // months
	asOf     time.Time
	maxID    int64
	ds       *lingpao.DataSet
	subs     map[string]lingpao.Submission
}

// lookup returns what the kept load e answers for from..to as of asOf, reading the store in tx.
func (c *dataCache) lookup(ctx context.Context, tx *sql.Tx, maxID int64, from, to lingpao.Period, asOf time.Time) (*lingpao.DataSet, map[string]lingpao.Submission, bool, error) {
	c.mu.Lock()
	entries := append([]dataEntry(nil), c.entries...)
	c.mu.Unlock()
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.maxID != maxID || from.Before(e.from) || e.to.Before(to) {
			continue
		}
		if !e.asOf.Equal(asOf) {
			lo, hi := e.asOf, asOf
			if hi.Before(lo) {
				lo, hi = hi, lo
			}
			var between int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE status = 'accepted' AND received_at > ? AND received_at <= ?`,
				formatTime(lo), formatTime(hi)).Scan(&between)
			if err != nil {
				return nil, nil, false, err
			}
			if between > 0 {
				continue
			}
		}
		if from == e.from && to == e.to {
			return e.ds, cloneSubs(e.subs, from, to), true, nil
		}
		return e.ds.Within(from, to), cloneSubs(e.subs, from, to), true, nil
	}
	return nil, nil, false, nil
}

// keep remembers a load.
func (c *dataCache) keep(e dataEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = append(c.entries, e)
	c.loads++
	if len(c.entries) > dataCacheSize {
		c.entries = append(c.entries[:0], c.entries[len(c.entries)-dataCacheSize:]...)
	}
}

// cloneSubs copies the submissions in force of the months from..to.
func cloneSubs(subs map[string]lingpao.Submission, from, to lingpao.Period) map[string]lingpao.Submission {
	out := make(map[string]lingpao.Submission, len(subs))
	for k, s := range subs {
		if !s.Period.Before(from) && !to.Before(s.Period) {
			out[k] = s
		}
	}
	return out
}
