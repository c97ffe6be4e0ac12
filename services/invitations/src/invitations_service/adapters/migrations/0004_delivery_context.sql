-- The context of what asked for each delivery (the HTTP invite or resend, or the consumed
-- InvitationRequested), so that InvitationSent, InvitationResent and InvitationDeliveryFailed
-- carry its correlation id, tenant and actor, and are caused by that request's event.
-- NULL for the deliveries queued before this migration: their events start a correlation id.
ALTER TABLE deliveries
    ADD COLUMN correlation_id text,
    ADD COLUMN causation_id   text,
    ADD COLUMN tenant         text,
    ADD COLUMN actor          text;
