package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/seeds"
)

func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2025, 10, 20, 9, 0, 0, 0, lingpao.Beijing) }
	return db
}

func findTarget(ts []lingpao.Target, id string) (lingpao.Target, bool) {
	for _, t := range ts {
		if t.ID == id {
			return t, true
		}
	}
	return lingpao.Target{}, false
}

// TestTargetVersions: an imported allocation is a new version; an unchanged seed file on the next
// open records nothing, so the import stays in force; a changed seed file records a new seeds version
// that keeps the imported shares (and drops the example shares of the keys the import covered).
func TestTargetVersions(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SyncCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	_, v, err := db.Targets(ctx)
	if err != nil || v != 1 {
		t.Fatalf("first sync: version %d, %v", v, err)
	}

	srdi, _ := cat.Indicator("srdi_sme")
	basis, ok := findTarget(cat.Targets, "sjz2022-srdi_sme-2025")
	if !ok {
		t.Fatal("seed target sjz2022-srdi_sme-2025 missing")
	}
	key := lingpao.AllocationKey{Basis: basis.ID, Year: 2025}
	var shares []lingpao.Target
	for i, c := range cat.Tree.Counties("130100") {
		shares = append(shares, lingpao.Allocate(basis, srdi, 2025, c, float64(30+i%3), "市工信局分解（目标分解表.xlsx）"))
	}
	v2, err := db.SaveAllocation(ctx, "目标分解表.xlsx", "测试导入", []lingpao.AllocationKey{key}, shares)
	if err != nil || v2 != 2 {
		t.Fatalf("SaveAllocation: version %d, %v", v2, err)
	}
	check := func(wantVersion int, wantCity float64) []lingpao.Target {
		t.Helper()
		ts, v, err := db.Targets(ctx)
		if err != nil || v != wantVersion {
			t.Fatalf("in force: version %d (%v), want %d", v, err, wantVersion)
		}
		lq, ok := findTarget(ts, basis.ID+"@130110")
		if !ok || lq.Example || lq.Basis != basis.ID || lq.Bar() != shares[6].Bar() || lq.Baseline == nil {
			t.Errorf("v%d: 鹿泉区 share %+v, want the imported %v chained from its 2023 share", v, lq, shares[6].Bar())
		}
		if city, _ := findTarget(ts, basis.ID); city.Bar() != wantCity {
			t.Errorf("v%d: city target %v, want %v", v, city.Bar(), wantCity)
		}
		if ex, ok := findTarget(ts, "sjz2022-srdi_sme-2023@130110"); !ok || !ex.Example {
			t.Errorf("v%d: the 2023 example share is gone: %+v", v, ex)
		}
		return ts
	}
	check(2, 750)

	// The next open with the same seed files records nothing.
	if err := db.SyncCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	check(2, 750)

	// A corrected seed file: 760 instead of 750. The new seeds version keeps the imported shares.
	cat2, _ := seeds.Load(seeds.Embedded())
	for i, t := range cat2.Targets {
		if t.ID == basis.ID {
			v := 760.0
			cat2.Targets[i].Value = &v
		}
	}
	if err := db.SyncCatalog(ctx, cat2); err != nil {
		t.Fatal(err)
	}
	ts := check(3, 760)
	n := 0
	for _, x := range ts {
		if lingpao.IsAllocationOf(x.ID, key) {
			n++
			if x.Example {
				t.Errorf("example share %s survived the import", x.ID)
			}
		}
	}
	if n != len(shares) {
		t.Errorf("v3 has %d shares of %s, want %d", n, key, len(shares))
	}
	if err := db.SyncCatalog(ctx, cat2); err != nil {
		t.Fatal(err)
	}
	check(3, 760)

	vs, err := db.TargetVersions(ctx)
	if err != nil || len(vs) != 3 {
		t.Fatalf("versions: %+v %v", vs, err)
	}
	if vs[0].Source != "seeds" || vs[1].Source != "目标分解表.xlsx" || len(vs[1].Covers) != 1 || vs[1].Covers[0] != key || vs[2].Source != "seeds" ||
		!strings.Contains(vs[2].Note, "保留导入的任务分解") || vs[1].Targets != vs[0].Targets {
		t.Errorf("versions: %+v", vs)
	}
	// Older versions stay as they were.
	old, err := db.TargetsOfVersion(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := findTarget(old, basis.ID+"@130110"); !x.Example {
		t.Errorf("version 1 changed: %+v", x)
	}
}
