-- InvitationRequested events waiting to be handled. The consumer only stages each request here
-- (inside its inbox transaction, so once per event); the request processor then takes them in
-- order, a batch at a time, and turns a batch into invitations with a few set-based statements.
-- A request whose handling fails on its own keeps its row with `failed_at` and the error.
CREATE TABLE invitation_requests (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id     uuid        NOT NULL UNIQUE,
    event_id       uuid        NOT NULL,
    correlation_id text        NOT NULL,
    tenant         text,
    actor          text,
    inviter_id     uuid        NOT NULL,
    import_id      uuid,
    row_number     integer,
    channel        text        NOT NULL,
    phone_e164     text,
    email          text,
    display_name   text,
    staged_at      timestamptz NOT NULL DEFAULT now(),
    failed_at      timestamptz,
    error          text
);
CREATE INDEX invitation_requests_waiting ON invitation_requests (position) WHERE failed_at IS NULL;
