-- 0010: the returns each report edition was made from — per county and month ("org/2025-09"), the
-- submission in force at its cut-off (JSON object) — so that the next edition can tell a correction
-- of data the edition used (更正) from a return it did not have (补报).
ALTER TABLE report_editions ADD COLUMN sources TEXT NOT NULL DEFAULT '{}';
