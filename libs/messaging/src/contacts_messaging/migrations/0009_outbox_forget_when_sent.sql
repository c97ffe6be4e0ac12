-- An outbox row not yet sent when an account closes still owes its event to Kafka, but it
-- carries the person's number or email: the closure flags it, and the relay deletes it once
-- Kafka acknowledged it instead of keeping it for the retention (erasure.py, relay.py).
ALTER TABLE outbox ADD COLUMN forget_when_sent boolean NOT NULL DEFAULT false;
