-- 0006: the staff web page — accounts, sessions, the audit log, and reports generated on demand.

CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	name                TEXT NOT NULL UNIQUE,
	role                TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'leader')),
	password_hash       TEXT NOT NULL, -- bcrypt
	created_at          TEXT NOT NULL,
	password_changed_at TEXT NOT NULL,
	disabled            INTEGER NOT NULL DEFAULT 0
);

-- A session is known by the SHA-256 of its cookie value: the value itself is never stored, so a copy
-- of the database does not let anyone log in.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL, -- the session's anti-forgery token, echoed by every form
	created_at TEXT NOT NULL,
	seen_at    TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	remote     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Who did what: logins, uploads, generations, target imports. Entries outlive the accounts.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user_id   INTEGER,
	user_name TEXT NOT NULL DEFAULT '',
	action    TEXT NOT NULL,
	detail    TEXT NOT NULL DEFAULT '',
	remote    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Reports generated from the web page ("generate now"), run in the background.
CREATE TABLE report_tasks (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	period      TEXT NOT NULL,
	formats     TEXT NOT NULL DEFAULT '', -- comma-separated; '' = every format of the kind
	user_name   TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
	created_at  TEXT NOT NULL,
	started_at  TEXT NOT NULL DEFAULT '',
	finished_at TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT '', -- the user-facing message of a failure
	files       TEXT NOT NULL DEFAULT '[]' -- JSON array of the written files, relative to the workspace
);
