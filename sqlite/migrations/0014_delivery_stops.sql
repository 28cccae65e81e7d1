-- 0014: mail that is not retried any more — refused permanently by the server (5xx) or cancelled by
-- an operator. Such a delivery stays in the queue (listed, retried on request) but is not sent.
ALTER TABLE deliveries ADD COLUMN stopped TEXT NOT NULL DEFAULT '' CHECK (stopped IN ('', 'refused', 'cancelled'));
ALTER TABLE deliveries ADD COLUMN stopped_at TEXT NOT NULL DEFAULT '';
