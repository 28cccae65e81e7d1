-- 0003: the escalation ladder (督办, PRODUCT §7.3) — every step with its date and reason, never
-- deleted: a step that a later correction of the data makes void is revoked, not removed — and what
-- an imported targets version (the allocation workbook) covered.

CREATE TABLE escalations (
	id            INTEGER PRIMARY KEY,
	org           TEXT NOT NULL,
	indicator     TEXT NOT NULL,          -- '' for the reporting ladder of the county
	month         TEXT NOT NULL,          -- the month the step is based on: 2025-09
	from_level    INTEGER NOT NULL,       -- 0 none, 1 警示, 2 约谈, 3 通报, 4 报告, 5 问责
	to_level      INTEGER NOT NULL,
	streak        INTEGER NOT NULL,       -- consecutive lagging months
	state         TEXT NOT NULL,          -- the month's status or reporting state
	gap           REAL,                   -- percentage points, when measured
	reason        TEXT NOT NULL,
	date          TEXT NOT NULL,          -- when the step takes effect: the month's reporting deadline
	recorded_at   TEXT NOT NULL,
	revoked_at    TEXT,
	revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalations_subject ON escalations(org, indicator, month);

-- The allocation keys ("basis|year", JSON array) an imported targets version set or cleared, so that a
-- later change of the seed targets keeps the imported allocation (see sqlite.SyncCatalog).
ALTER TABLE target_versions ADD COLUMN covers TEXT NOT NULL DEFAULT '[]';
