-- 0017: the issue ledger as a workflow (问题征集、分解交办、对接服务、办结销号). Each problem a county
-- raises in its return's 问题台账 becomes one case, followed from month to month (the same problem
-- in the county's next return is the same case); the city assigns it to a department with a
-- deadline, records the handling opinions and closes it. Every step is an event; nothing is deleted.

CREATE TABLE issue_cases (
	id                INTEGER PRIMARY KEY,
	org               TEXT NOT NULL,
	description       TEXT NOT NULL,
	norm              TEXT NOT NULL, -- the description folded for matching
	category          TEXT NOT NULL DEFAULT '',
	enterprise        TEXT NOT NULL DEFAULT '',
	county_department TEXT NOT NULL DEFAULT '', -- 责任部门 as the county wrote it
	raised            TEXT NOT NULL DEFAULT '', -- date, 2025-09-12
	first_submission  INTEGER NOT NULL,
	first_period      TEXT NOT NULL,
	last_submission   INTEGER NOT NULL,
	last_period       TEXT NOT NULL,
	county_status     TEXT NOT NULL DEFAULT '', -- 办理状态 in the county's latest return
	status            TEXT NOT NULL CHECK (status IN ('征集', '交办', '办理中', '办结销号')),
	department        TEXT NOT NULL DEFAULT '', -- assigned to (交办)
	deadline          TEXT NOT NULL DEFAULT '', -- date
	assigned_at       TEXT NOT NULL DEFAULT '',
	opinion           TEXT NOT NULL DEFAULT '', -- the latest 办理意见
	closed            TEXT NOT NULL DEFAULT '', -- date
	result            TEXT NOT NULL DEFAULT '', -- 办结情况
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);
CREATE INDEX issue_cases_org ON issue_cases(org, norm);
CREATE INDEX issue_cases_status ON issue_cases(status);

CREATE TABLE issue_events (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES issue_cases(id),
	at         TEXT NOT NULL,
	user_name  TEXT NOT NULL DEFAULT '',
	action     TEXT NOT NULL, -- collect, assign, opinion, close, reopen, county
	status     TEXT NOT NULL, -- the case's status after the event
	department TEXT NOT NULL DEFAULT '',
	deadline   TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX issue_events_case ON issue_events(case_id);

-- Which 问题台账 row of which return each case was seen in.
CREATE TABLE issue_sources (
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	row           INTEGER NOT NULL,
	case_id       INTEGER NOT NULL REFERENCES issue_cases(id),
	PRIMARY KEY (submission_id, row)
);
CREATE INDEX issue_sources_case ON issue_sources(case_id);
