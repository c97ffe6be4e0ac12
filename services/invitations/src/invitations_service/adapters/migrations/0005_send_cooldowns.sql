-- The resend cool-down follows the destination, not the invitation: when each inviter last
-- asked for a message to a number or address (the first message of an invitation or a
-- resend), whichever invitation it was for. Deleting an invitation and inviting again, or an
-- import asking again, is then held to the cool-down like a resend. A request takes the row
-- in its own transaction (INSERT ... ON CONFLICT DO UPDATE ... WHERE), so that two instances
-- answering at the same moment agree. Rows older than the cool-down are purged.
CREATE TABLE send_cooldowns (
    inviter_id      uuid        NOT NULL,
    destination     text        NOT NULL,  -- the E.164 number or the lower-case address
    last_message_at timestamptz NOT NULL,
    PRIMARY KEY (inviter_id, destination)
);
CREATE INDEX send_cooldowns_by_age ON send_cooldowns (last_message_at);

-- The invitations of the last day hold the cool-downs that may still be running.
INSERT INTO send_cooldowns (inviter_id, destination, last_message_at)
SELECT inviter_id, coalesce(phone_e164, lower(email)), max(greatest(created_at, last_sent_at))
FROM invitations
WHERE created_at > now() - interval '1 day' OR last_sent_at > now() - interval '1 day'
GROUP BY 1, 2;
