-- A bulk row's records are stored compressed (bulk.py): its value is about an eighth of what
-- the relay holds once it expands them. The row keeps their size before compression, and the
-- relay's claim (its byte budget a batch) counts that; NULL for every other row, whose value
-- is what it sends (and for bulk rows written before: stored as they are).
ALTER TABLE outbox ADD COLUMN expanded_bytes bigint;
