-- 0018: accounts — a password set by someone else (an initial or reset one-time password) must be
-- changed by its owner at the next login.

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE INDEX audit_log_user ON audit_log(user_name, at);
