-- 0001: the catalog snapshot, target versions, submissions with their values, roster, issues and
-- findings, and the inbox poll state.

CREATE TABLE org_units (
	code   TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	level  TEXT NOT NULL,
	parent TEXT,
	type   TEXT NOT NULL DEFAULT '',
	sort   INTEGER NOT NULL
);

CREATE TABLE clusters (
	code     TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	org      TEXT NOT NULL,
	industry TEXT NOT NULL DEFAULT '',
	example  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE indicators (
	code   TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	unit   TEXT NOT NULL,
	kind   TEXT NOT NULL,
	source TEXT NOT NULL,
	def    TEXT NOT NULL -- the full definition as JSON
);

-- Every change of the targets (the seed catalog, an imported allocation workbook) is a new version;
-- old versions are kept so that a past report can be regenerated with the targets it used.
CREATE TABLE target_versions (
	version    INTEGER PRIMARY KEY,
	created_at TEXT NOT NULL,
	source     TEXT NOT NULL, -- 'seeds' or the imported file's name
	digest     TEXT NOT NULL, -- SHA-256 of the targets, to notice changed seed files
	note       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE targets (
	version   INTEGER NOT NULL REFERENCES target_versions(version),
	id        TEXT NOT NULL,
	org       TEXT NOT NULL,
	indicator TEXT NOT NULL,
	def       TEXT NOT NULL, -- the full target as JSON
	PRIMARY KEY (version, id)
);

-- One row per distinct file (by SHA-256 of its bytes) taken from the inbox.
CREATE TABLE submissions (
	id              INTEGER PRIMARY KEY,
	sha256          TEXT NOT NULL UNIQUE,
	org             TEXT NOT NULL DEFAULT '',
	period          TEXT NOT NULL DEFAULT '',
	file_name       TEXT NOT NULL,
	folder          TEXT NOT NULL DEFAULT '',
	size            INTEGER NOT NULL,
	received_at     TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
	version         INTEGER,                -- 1, 2, … among accepted files of one org and period
	superseded_by   INTEGER REFERENCES submissions(id),
	reason          TEXT NOT NULL DEFAULT '',
	contact         TEXT NOT NULL DEFAULT '',
	phone           TEXT NOT NULL DEFAULT '',
	receipt_written INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_org_period ON submissions(org, period, status);

-- Every number with its lineage: the submission and the cell it came from. cluster '' is a county-level
-- value.
CREATE TABLE cell_values (
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	cluster       TEXT NOT NULL,
	indicator     TEXT NOT NULL,
	value         REAL NOT NULL,
	sheet         TEXT NOT NULL DEFAULT '',
	cell          TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (submission_id, cluster, indicator)
);

CREATE TABLE enterprises (
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	row           INTEGER NOT NULL,
	name          TEXT NOT NULL,
	uscc          TEXT NOT NULL DEFAULT '',
	cluster       TEXT NOT NULL DEFAULT '',
	tags          TEXT NOT NULL DEFAULT '', -- 、-separated
	revenue       REAL,
	rnd           REAL,
	remark        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (submission_id, row)
);
CREATE INDEX enterprises_uscc ON enterprises(uscc);

CREATE TABLE issues (
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	row           INTEGER NOT NULL,
	description   TEXT NOT NULL,
	category      TEXT NOT NULL DEFAULT '',
	enterprise    TEXT NOT NULL DEFAULT '',
	department    TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT '',
	raised        TEXT NOT NULL DEFAULT '',
	closed        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (submission_id, row)
);

CREATE TABLE findings (
	id            INTEGER PRIMARY KEY,
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	severity      TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
	rule          TEXT NOT NULL,
	sheet         TEXT NOT NULL DEFAULT '',
	cell          TEXT NOT NULL DEFAULT '',
	value         TEXT NOT NULL DEFAULT '',
	message       TEXT NOT NULL
);
CREATE INDEX findings_submission ON findings(submission_id);

-- What the previous inbox poll saw: a file is taken only when its size and mtime are unchanged since.
CREATE TABLE inbox_poll (
	path    TEXT PRIMARY KEY,
	size    INTEGER NOT NULL,
	mtime   TEXT NOT NULL,
	seen_at TEXT NOT NULL
);
