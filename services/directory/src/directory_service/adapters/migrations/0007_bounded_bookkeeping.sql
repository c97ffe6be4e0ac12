-- The bookkeeping tables that gained rows forever are purged by the retention loop
-- (adapters/retention.py, docs/data-retention.md). Each purge walks an index on its time
-- column from the oldest entry, so a batch costs the rows it deletes, not a table scan.
-- (`one_time_codes` has its index on `expires_at` since 0003.)
CREATE INDEX IF NOT EXISTS refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS sessions_revoked_at ON sessions (revoked_at)
    WHERE revoked_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS rate_limits_updated_at ON rate_limits (updated_at);
CREATE INDEX IF NOT EXISTS membership_offers_answered_at ON membership_offers (answered_at)
    WHERE answered_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS membership_offers_expires_at ON membership_offers (expires_at);

-- A session goes with its refresh tokens. Its tokens are purged first (they expire no later
-- than the session), but a token issued under a longer REFRESH_TOKEN_DAYS than today's may
-- outlive a revoked session's purge: it goes with it (a token of a revoked session is refused
-- as an unknown one is, `refresh_token_invalid`).
ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session_id_fkey,
    ADD CONSTRAINT refresh_tokens_session_id_fkey FOREIGN KEY (session_id)
        REFERENCES sessions (session_id) ON DELETE CASCADE;
