-- 0005: the editions of generated reports (PRODUCT §8). A report is known by its kind, period and
-- scope ('' for the city; a county's code for its 体检表). Each generation whose figures differ from
-- the last edition's is a new edition; a regeneration with the same figures is the same edition. The
-- figures are kept so that the next edition can list what it corrects (更正说明).
CREATE TABLE report_editions (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	period          TEXT NOT NULL,
	scope           TEXT NOT NULL DEFAULT '',
	edition         INTEGER NOT NULL,
	cutoff          TEXT NOT NULL,
	generated_at    TEXT NOT NULL,
	digest          TEXT NOT NULL,            -- SHA-256 of the figures
	figures         TEXT NOT NULL,            -- JSON array of the printed figures
	files           TEXT NOT NULL DEFAULT '[]', -- JSON array of the files written, relative to the workspace
	lingpao_version TEXT NOT NULL DEFAULT '',
	targets_version INTEGER NOT NULL DEFAULT 0,
	recorded_at     TEXT NOT NULL,
	UNIQUE (kind, period, scope, edition)
);
