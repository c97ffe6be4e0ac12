-- Sign-in: one-time codes, the keys that sign access tokens, sessions and their refresh tokens.

-- A code sent to a phone number or email address, kept only as an HMAC: `purpose` is
-- 'sign_in' (no user yet: anyone may ask for a code for a number) or 'verify_phone' /
-- 'verify_email' (a signed-in user proving a new destination). One live code per purpose,
-- destination and user: a new request replaces the old code.
CREATE TABLE one_time_codes (
    purpose       text NOT NULL CHECK (purpose IN ('sign_in', 'verify_phone', 'verify_email')),
    destination   text NOT NULL,
    user_id       uuid REFERENCES users (user_id),
    code_hmac     bytea NOT NULL,
    attempts_left integer NOT NULL CHECK (attempts_left >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX one_time_codes_live ON one_time_codes (purpose, destination, user_id)
    NULLS NOT DISTINCT;
CREATE INDEX one_time_codes_expiry ON one_time_codes (expires_at);

-- Ed25519 keys that sign access tokens. The private key is stored encrypted (PKCS#8 with a
-- password derived from AUTH_SECRET); the newest key not retired signs, and the JWKS publishes
-- every key not retired plus the retired ones while tokens they signed may still be valid.
CREATE TABLE signing_keys (
    kid         text PRIMARY KEY,
    private_pem bytea NOT NULL,
    public_jwk  jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);

-- A session is a sign-in on one device: a family of refresh tokens, each used once. Using a
-- rotated token again revokes the whole family (it was copied).
CREATE TABLE sessions (
    session_id     uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (user_id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,  -- SHA-256 of the token (256 random bits: no salt needed)
    session_id uuid NOT NULL REFERENCES sessions (session_id),
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
