package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"lingpao"
)

// Targets versions. Every version is a complete set of targets; the newest is in force (jobs.Open), the
// older ones stay for regenerating past reports. Versions come from two sources:
//   - "seeds": the catalog's seed targets (the documents' targets and the example allocation),
//     recorded by SyncCatalog whenever they differ from the last seeds version. When an allocation was
//     imported before, the new seeds version keeps it: the shares of the newest version that came from
//     an import (Target.Basis set) replace the seed shares of every allocation key any import covered,
//     so an edited or upgraded seed file never silently undoes the city's allocation. An unchanged
//     seed file records nothing, so an import stays in force across restarts.
//   - an imported allocation workbook (source = its file name): the newest version with the shares of
//     the keys the workbook covered replaced (SaveAllocation).

// TargetVersion describes one targets version.
type TargetVersion struct {
	Version   int                     `json:"version"`
	CreatedAt string                  `json:"created_at"`
	Source    string                  `json:"source"`
	Note      string                  `json:"note"`
	Covers    []lingpao.AllocationKey `json:"covers,omitempty"`
	Targets   int                     `json:"targets"`
}

// TargetVersions returns every targets version, oldest first.
func (d *DB) TargetVersions(ctx context.Context) (_ []TargetVersion, err error) {
	defer lingpao.Wrap(&err, "sqlite.TargetVersions")
	rows, err := d.db.QueryContext(ctx, `SELECT v.version, v.created_at, v.source, v.note, v.covers, (SELECT COUNT(*) FROM targets t WHERE t.version = v.version)
		FROM target_versions v ORDER BY v.version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TargetVersion
	for rows.Next() {
		var v TargetVersion
		var covers string
		if err := rows.Scan(&v.Version, &v.CreatedAt, &v.Source, &v.Note, &covers, &v.Targets); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(covers), &v.Covers); err != nil {
			return nil, fmt.Errorf("version %d covers: %w", v.Version, err)
		}
		v.CreatedAt = parseTime(v.CreatedAt).Format("2006-01-02 15:04:05")
		out = append(out, v)
	}
	return out, rows.Err()
}

// SaveAllocation records an imported allocation as a new targets version in one transaction: the
// newest version's targets with the shares of every key in covered replaced by shares
// (lingpao.ReplaceAllocations; a key without shares is cleared). source is the workbook's file name.
// It returns the new version.
func (d *DB) SaveAllocation(ctx context.Context, source, note string, covered []lingpao.AllocationKey, shares []lingpao.Target) (version int, err error) {
	defer lingpao.Wrap(&err, "sqlite.SaveAllocation(%s)", source)
	if source == "seeds" {
		source = "seeds（导入）" // "seeds" names the seed versions
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		var newest int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM target_versions`).Scan(&newest); err != nil {
			return err
		}
		if newest == 0 {
			return lingpao.Errorf(lingpao.ECONFLICT, "工作目录还没有目标任务数据：请先运行 lingpao init。")
		}
		base, err := targetsOfVersion(ctx, tx, newest)
		if err != nil {
			return err
		}
		ts := lingpao.ReplaceAllocations(base, covered, shares)
		digest, err := targetsDigest(ts)
		if err != nil {
			return err
		}
		version, err = insertTargets(ctx, tx, ts, source, digest, note, d.Now())
		if err != nil {
			return err
		}
		return setCovers(ctx, tx, version, covered)
	})
	return version, err
}

func setCovers(ctx context.Context, tx *sql.Tx, version int, covered []lingpao.AllocationKey) error {
	if covered == nil {
		covered = []lingpao.AllocationKey{}
	}
	b, err := json.Marshal(covered)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE target_versions SET covers = ? WHERE version = ?`, string(b), version)
	return err
}

// seedVersionTargets returns the targets a new seeds version records: seed itself, or — when
// allocations were imported — seed with the imported shares carried over, and a note saying so.
func seedVersionTargets(ctx context.Context, tx *sql.Tx, seed []lingpao.Target) ([]lingpao.Target, string, error) {
	note := "种子数据（文件目标与示例分解）"
	rows, err := tx.QueryContext(ctx, `SELECT covers FROM target_versions WHERE source <> 'seeds'`)
	if err != nil {
		return nil, "", err
	}
	var covered []lingpao.AllocationKey
	seen := map[lingpao.AllocationKey]bool{}
	for rows.Next() {
		var s string
		var ks []lingpao.AllocationKey
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, "", err
		}
		if err := json.Unmarshal([]byte(s), &ks); err != nil {
			rows.Close()
			return nil, "", err
		}
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				covered = append(covered, k)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(covered) == 0 {
		return seed, note, nil
	}
	var newest int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM target_versions`).Scan(&newest); err != nil {
		return nil, "", err
	}
	cur, err := targetsOfVersion(ctx, tx, newest)
	if err != nil {
		return nil, "", err
	}
	var shares []lingpao.Target
	for _, t := range cur {
		if t.Basis != "" {
			shares = append(shares, t)
		}
	}
	ts := lingpao.ReplaceAllocations(seed, covered, shares)
	return ts, fmt.Sprintf("种子数据已更新；保留导入的任务分解（%d 项目标的 %d 个县级分解值）", len(covered), len(shares)), nil
}

// targetsOfVersion reads one version's targets inside a transaction, in insertion order.
func targetsOfVersion(ctx context.Context, tx *sql.Tx, version int) ([]lingpao.Target, error) {
	rows, err := tx.QueryContext(ctx, `SELECT def FROM targets WHERE version = ? ORDER BY rowid`, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Target
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			return nil, err
		}
		var t lingpao.Target
		if err := json.Unmarshal([]byte(def), &t); err != nil {
			return nil, err
		}
		t.Due, t.Start = t.Due.In(lingpao.Beijing), t.Start.In(lingpao.Beijing)
		out = append(out, t)
	}
	return out, rows.Err()
}
