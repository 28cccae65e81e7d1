-- 0004: service mode — the run ledger, the jobs the scheduler has armed, and the e-mail queue.

-- One row per (job, scheduled time): the unique key makes a job run at most once for each time, even
-- when two processes race for it. A run left 'running' by a process that died is taken over by the
-- next one (attempts + 1).
CREATE TABLE job_runs (
	id           INTEGER PRIMARY KEY,
	job          TEXT NOT NULL,
	scheduled    TEXT NOT NULL, -- nominal time, UTC, fixed width
	due          TEXT NOT NULL,
	trigger      TEXT NOT NULL,
	started      TEXT NOT NULL DEFAULT '',
	ended        TEXT NOT NULL DEFAULT '',
	outcome      TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'retry', 'failed', 'skipped')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT NOT NULL DEFAULT '',
	owner        TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL DEFAULT '',
	outputs      TEXT NOT NULL DEFAULT '[]', -- JSON array of paths relative to the workspace
	error        TEXT NOT NULL DEFAULT '',
	UNIQUE (job, scheduled)
);
CREATE INDEX job_runs_outcome ON job_runs(outcome);

-- When the scheduler first knew each job: missed times are counted from the later of this and the
-- job's last run, so a job that never ran is still caught up after an outage.
CREATE TABLE job_arms (
	job      TEXT PRIMARY KEY,
	armed_at TEXT NOT NULL
);

-- One e-mail to one recipient. Pending until sent; failures are retried with backoff and never dropped.
CREATE TABLE deliveries (
	id            INTEGER PRIMARY KEY,
	key           TEXT NOT NULL UNIQUE,
	run_id        INTEGER REFERENCES job_runs(id),
	role          TEXT NOT NULL,
	org           TEXT NOT NULL DEFAULT '',
	recipient     TEXT NOT NULL,
	subject       TEXT NOT NULL,
	body          TEXT NOT NULL,
	attachments   TEXT NOT NULL DEFAULT '[]', -- JSON array of paths relative to the workspace
	status        TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_attempt  TEXT NOT NULL,
	claimed_until TEXT NOT NULL DEFAULT '', -- a sender's lease, so two processes never send one mail at once
	last_error    TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	sent_at       TEXT NOT NULL DEFAULT '',
	notified      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt);
