-- Import retention (docs/data-retention.md, "Import rows and files"): an import's rows, its
-- duplicate markers, refusals, parse results and uploaded file are deleted once it has been
-- finished longer than IMPORT_RETENTION_DAYS; the `imports` row stays, with its counts.
--
-- `finished_at`: when the import reached a final status (completed, failed, replaced); NULL
-- while it runs or waits for its owner. A trigger keeps it, so every way an import ends (the
-- pipeline, a file refused, "Back" with a corrected file, a closed account, an expiry) sets it,
-- and a failed import taken up again (another sheet or encoding) clears it.
-- `rows_purged_at`: when the purge deleted its rows and file (NULL until then).
ALTER TABLE imports
    ADD COLUMN finished_at    timestamptz,
    ADD COLUMN rows_purged_at timestamptz;

CREATE FUNCTION note_import_finished() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.status IN ('completed', 'failed', 'replaced') THEN
        NEW.finished_at := coalesce(NEW.finished_at, now());  -- failed then replaced: the first
    ELSE
        NEW.finished_at := NULL;
    END IF;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER imports_finished_at BEFORE INSERT OR UPDATE OF status ON imports
    FOR EACH ROW EXECUTE FUNCTION note_import_finished();

-- Imports finished before this release: a completed one ended at `completed_at`; a failed or
-- replaced one kept no date, so it counts from now (kept one retention more, never less).
UPDATE imports SET finished_at = coalesce(completed_at, now())
WHERE status IN ('completed', 'failed', 'replaced');

-- The purge walks the finished imports not purged yet, oldest first (the index holds only
-- those: it stays as small as a retention's worth of imports), and the imports waiting for
-- their owner, oldest first, to expire them.
CREATE INDEX imports_to_purge ON imports (finished_at)
    WHERE rows_purged_at IS NULL AND finished_at IS NOT NULL;
CREATE INDEX imports_waiting ON imports (created_at) WHERE status IN ('uploaded', 'extracted');
