-- `daily_sends` and the failed `invitation_requests` gained rows forever: the retention loop
-- purges them (adapters/retention.py, docs/data-retention.md), each batch walking an index on
-- the time column from its oldest entry rather than scanning the table.
CREATE INDEX IF NOT EXISTS daily_sends_day ON daily_sends (day);
CREATE INDEX IF NOT EXISTS invitation_requests_failed_at ON invitation_requests (failed_at)
    WHERE failed_at IS NOT NULL;
