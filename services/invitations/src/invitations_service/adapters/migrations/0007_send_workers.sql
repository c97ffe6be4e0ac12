-- The delivery workers running now, one row each (its process's), seen at its last heartbeat:
-- each paces its sends at SENDS_PER_SECOND divided by the workers seen lately, so that the
-- provider's rate holds for the whole service however many instances and processes run
-- (handlers/sending/rate_share.py). A row not seen for a while is a worker gone.
CREATE TABLE send_workers (
    worker_id uuid        PRIMARY KEY,
    seen_at   timestamptz NOT NULL
);
