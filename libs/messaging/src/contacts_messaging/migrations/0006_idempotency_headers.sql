-- The headers a stored response was sent with that a retry must get again (the Location of
-- a 201): a replay is the first response whole, not only its status and body.
ALTER TABLE idempotency_keys ADD COLUMN headers jsonb;
