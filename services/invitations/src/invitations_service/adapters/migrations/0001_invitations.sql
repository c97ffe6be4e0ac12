-- Invitations, their deliveries (one row per attempt to send), send counters for the caps,
-- and the projection of the directory the messages and acceptances need.

CREATE TABLE invitations (
    invitation_id    uuid PRIMARY KEY,
    inviter_id       uuid        NOT NULL,
    request_id       uuid        NOT NULL UNIQUE,
    import_id        uuid,
    channel          text        NOT NULL CHECK (channel IN ('sms', 'email')),
    phone_e164       text,
    email            text,
    invitee_name     text,
    token            text        NOT NULL UNIQUE,
    status           text        NOT NULL CHECK (status IN
                     ('pending', 'sent', 'delivery_failed', 'accepted', 'cancelled', 'expired')),
    send_count       integer     NOT NULL DEFAULT 0,
    last_sent_at     timestamptz,
    expires_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    closed_at        timestamptz,
    invitee_user_id  uuid,
    CHECK ((channel = 'sms' AND phone_e164 IS NOT NULL) OR (channel = 'email' AND email IS NOT NULL))
);
-- One open invitation per inviter and destination: a second request finds the first.
CREATE UNIQUE INDEX invitations_open_per_destination
    ON invitations (inviter_id, coalesce(phone_e164, lower(email)))
    WHERE status IN ('pending', 'sent', 'delivery_failed');
CREATE INDEX invitations_pending_by_inviter ON invitations (inviter_id, created_at DESC, invitation_id)
    WHERE status IN ('pending', 'sent', 'delivery_failed');
CREATE INDEX invitations_open_by_phone ON invitations (phone_e164)
    WHERE status IN ('pending', 'sent', 'delivery_failed');
CREATE INDEX invitations_open_by_email ON invitations (lower(email))
    WHERE status IN ('pending', 'sent', 'delivery_failed');
CREATE INDEX invitations_expiring ON invitations (expires_at)
    WHERE status IN ('pending', 'sent', 'delivery_failed');

-- One row per attempt to send. The row is written (status 'sending') and committed before the
-- provider is called, and its id is the provider's idempotency key: a worker that dies
-- mid-send leaves a 'sending' row that is retried with the same key, never a second message.
CREATE TABLE deliveries (
    delivery_id         uuid PRIMARY KEY,
    invitation_id       uuid        NOT NULL REFERENCES invitations (invitation_id),
    kind                text        NOT NULL CHECK (kind IN ('first', 'resend')),
    status              text        NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts            integer     NOT NULL DEFAULT 0,
    not_before          timestamptz NOT NULL DEFAULT now(),
    claimed_until       timestamptz,
    provider_message_id text,
    last_error          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    sent_at             timestamptz
);
CREATE INDEX deliveries_due ON deliveries (not_before) WHERE status IN ('queued', 'sending');
CREATE INDEX deliveries_by_provider_id ON deliveries (provider_message_id);

-- Sends per destination and per inviter per day, for the caps (shared by every instance).
CREATE TABLE daily_sends (
    scope   text    NOT NULL CHECK (scope IN ('destination', 'inviter')),
    subject text    NOT NULL,
    day     date    NOT NULL,
    count   integer NOT NULL,
    PRIMARY KEY (scope, subject, day)
);

-- Projection of directory.users: inviters' names for the messages.
CREATE TABLE directory_users (
    user_id      uuid PRIMARY KEY,
    display_name text        NOT NULL,
    phone_e164   text        NOT NULL,
    version      timestamptz NOT NULL
);
