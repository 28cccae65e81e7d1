-- 0016: the clerk's month in the web page — county contacts (editable in the page), reminders sent
-- from the page (立即催报), and the review of submissions (审核: accepted with a note, returned with a
-- comment, a warning's 情况说明 accepted). Reviews are never deleted.

CREATE TABLE county_contacts (
	id         INTEGER PRIMARY KEY,
	org        TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '', -- role in the county: 填报人, 分管负责人 …
	phone      TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	remind     INTEGER NOT NULL DEFAULT 1, -- receives reminder and receipt mail
	sort       INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX county_contacts_org ON county_contacts(org, sort);

-- One reminder sent from the page to one county for one month: the .txt written into its receipts
-- folder and the addresses mailed (the mails themselves are in deliveries, key remindnow/<id>/…).
CREATE TABLE reminders (
	id         INTEGER PRIMARY KEY,
	org        TEXT NOT NULL,
	month      TEXT NOT NULL,
	at         TEXT NOT NULL,
	user_name  TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL,            -- the county's reporting state when it was chased
	txt        TEXT NOT NULL DEFAULT '', -- relative to the workspace
	recipients TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX reminders_org ON reminders(org, at);

-- accept: the current version reviewed and accepted, with a note; return: sent back with a comment
-- (the submission is then rejected, with a finding saying why); explanation: the 情况说明 of one
-- warning accepted.
CREATE TABLE submission_reviews (
	id            INTEGER PRIMARY KEY,
	submission_id INTEGER NOT NULL REFERENCES submissions(id),
	action        TEXT NOT NULL CHECK (action IN ('accept', 'return', 'explanation')),
	finding_id    INTEGER,
	note          TEXT NOT NULL DEFAULT '',
	user_id       INTEGER,
	user_name     TEXT NOT NULL DEFAULT '',
	at            TEXT NOT NULL,
	restored_id   INTEGER,                 -- return: the earlier version in force again
	receipt       TEXT NOT NULL DEFAULT '' -- return: the receipt written, relative to the workspace
);
CREATE INDEX submission_reviews_submission ON submission_reviews(submission_id);
