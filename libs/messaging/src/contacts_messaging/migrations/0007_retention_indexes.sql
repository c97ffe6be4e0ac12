-- The retention purge (retention.py) deletes the oldest rows in small batches, walking these
-- indexes from the oldest row instead of scanning the whole table for each batch.
CREATE INDEX IF NOT EXISTS inbox_processed_at ON inbox (processed_at);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
