-- Idempotency keys of HTTP requests that change state: the first response is stored in the
-- same transaction as the change, and a retry with the same key gets it back unchanged.
CREATE TABLE idempotency_keys (
    principal    text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    status_code  integer,
    response     jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
