-- 0002: what changed between a county's successive accepted versions of one period's return — a
-- per-cell diff, written in the same transaction as the later version (see saveChanges).

CREATE TABLE changes (
	id            INTEGER PRIMARY KEY,
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	previous_id   INTEGER NOT NULL REFERENCES submissions(id),
	-- value: a number of the cluster sheet (subject = cluster code, field = indicator code);
	-- enterprise: a roster field (subject = credit code, or name without one; field = name, cluster,
	-- tags, revenue, rnd or remark); enterprise_added / enterprise_removed: a whole roster row.
	kind          TEXT NOT NULL CHECK (kind IN ('value', 'enterprise', 'enterprise_added', 'enterprise_removed')),
	subject       TEXT NOT NULL,
	field         TEXT NOT NULL DEFAULT '',
	sheet         TEXT NOT NULL DEFAULT '',
	-- The cell in the later version (or, for a removed row, in the earlier one); for roster changes
	-- the row, whose column the template's layout gives.
	cell          TEXT NOT NULL DEFAULT '',
	row           INTEGER NOT NULL DEFAULT 0,
	old_value, -- no type: a number or text as stored, NULL when absent
	new_value
);
CREATE INDEX changes_submission ON changes(submission_id);
