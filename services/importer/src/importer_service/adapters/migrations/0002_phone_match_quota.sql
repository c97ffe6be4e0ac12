-- Per-user quota on phone matching (which of these numbers are users?), a token bucket in
-- rows. Unlogged: after a crash every user starts again with a full bucket, which is harmless,
-- and taking rows writes no WAL.
CREATE UNLOGGED TABLE match_quota (
    owner_id   uuid PRIMARY KEY,
    rows_left  double precision NOT NULL,
    updated_at timestamptz NOT NULL
);
