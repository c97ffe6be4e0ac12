-- Bulk rows (bulk.py): one outbox row may carry many records of one topic and key, e.g. an
-- import chunk's ImportRowValidated events. Such values are megabytes: compress them with lz4
-- where the server has it, else store them out of line uncompressed (pglz is too slow).
ALTER TABLE outbox ADD COLUMN bulk boolean NOT NULL DEFAULT false;
DO $$
BEGIN
    ALTER TABLE outbox ALTER COLUMN value SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    ALTER TABLE outbox ALTER COLUMN value SET STORAGE EXTERNAL;
END
$$;
