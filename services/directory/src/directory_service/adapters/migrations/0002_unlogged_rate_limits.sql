-- Rate-limit buckets need no crash safety (after a crash everyone starts with a full bucket),
-- and without WAL a look-up's token costs no disk flush.
ALTER TABLE rate_limits SET UNLOGGED;
