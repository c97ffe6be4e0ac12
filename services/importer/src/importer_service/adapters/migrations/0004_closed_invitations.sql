-- The invitations projection keeps closed invitations (accepted, cancelled, expired) as
-- `closed` rows: the invitations service announces a message that went out even if its
-- invitation closed while it was in flight, so `InvitationSent` can come after the
-- `InvitationAccepted` that closed it, and must not reopen it.
ALTER TABLE pending_invitations ADD COLUMN closed boolean NOT NULL DEFAULT false;
DROP INDEX pending_invitations_by_inviter;
CREATE INDEX pending_invitations_by_inviter ON pending_invitations (inviter_id, phone_e164)
    WHERE NOT closed;
