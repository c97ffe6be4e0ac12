-- Invitations the invitations service refused (InvitationRefused): kept per import row so the
-- inviter can see why; the refused request itself is dropped, so the number can be invited
-- again once whatever refused it has changed (a country allowed, a daily cap passed). One per
-- row: the latest; inviting the row again clears it.
CREATE TABLE invitation_refusals (
    import_id   uuid        NOT NULL,
    row_number  integer     NOT NULL,
    request_id  uuid        NOT NULL,
    phone_e164  text,
    reason_code text        NOT NULL,
    reason      text        NOT NULL,
    refused_at  timestamptz NOT NULL,
    PRIMARY KEY (import_id, row_number)
);
