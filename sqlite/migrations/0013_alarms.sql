-- 0013: alarms — the problems the service has found (a failed report, a stuck inbox file, refused
-- mail), one row per problem key: announced once, reminded of at most daily, resolved or
-- acknowledged. Restarts do not announce them again.
CREATE TABLE alarms (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	scope       TEXT NOT NULL,
	title       TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL DEFAULT '',
	once        INTEGER NOT NULL DEFAULT 0,
	silent      INTEGER NOT NULL DEFAULT 0,
	opened_at   TEXT NOT NULL,
	seen_at     TEXT NOT NULL,
	notified_at TEXT NOT NULL DEFAULT '',
	reminders   INTEGER NOT NULL DEFAULT 0,
	resolved_at TEXT NOT NULL DEFAULT '', -- '' while open
	acked_at    TEXT NOT NULL DEFAULT '',
	acked_by    TEXT NOT NULL DEFAULT '',
	ack_note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alarms_scope ON alarms(scope, resolved_at);
CREATE INDEX alarms_open ON alarms(resolved_at);
