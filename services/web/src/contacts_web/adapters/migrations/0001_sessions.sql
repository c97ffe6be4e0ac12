-- Signed-in browsers. The cookie holds a random secret; this table holds only its SHA-256
-- (`id`), so a copy of the table opens no session, and the tokens sealed with a key derived
-- from that secret (AES-GCM), so a copy of the table reads no token either.
CREATE TABLE sessions (
    id bytea PRIMARY KEY,
    user_id uuid NOT NULL,
    sealed bytea NOT NULL,
    access_expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);
