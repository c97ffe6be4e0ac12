-- Each row's final status in a table of its own, written once by the emit step with COPY.
-- Before, the emit step updated `import_rows`: every update wrote a second copy of the row and
-- an entry in each of its four indexes (the update is never HOT: status, number and matched
-- user are indexed), and it was three quarters of the import's Postgres time
-- (bench/IMPORTER.md, "a table of statuses"). `import_rows` now holds what was read from the
-- file and nothing else (with the fault found while reading it, if any: `read_fault_code`,
-- `read_fault`); a row without a status here is not validated yet. `import_row_results` reads
-- both, as `import_rows` read before.
CREATE TABLE import_row_statuses (
    import_id       uuid    NOT NULL,
    row_number      integer NOT NULL,
    phone_e164      text,
    status          text    NOT NULL,
    reason_code     text,
    reason          text,
    matched_user_id uuid,
    PRIMARY KEY (import_id, row_number)
);

INSERT INTO import_row_statuses
SELECT import_id, row_number, phone_e164, status, reason_code, reason, matched_user_id
FROM import_rows WHERE status IS NOT NULL;

DROP INDEX import_rows_by_status;
DROP INDEX import_rows_by_number;
DROP INDEX import_rows_by_matched_user;
ALTER TABLE import_rows
    DROP COLUMN phone_e164,
    DROP COLUMN status,
    DROP COLUMN matched_user_id;
ALTER TABLE import_rows RENAME COLUMN reason_code TO read_fault_code;
ALTER TABLE import_rows RENAME COLUMN reason TO read_fault;

-- the results and "Invite contact" by status; an account closure's erasure by number (a hash
-- index: only ever looked up by equality, and its random keys cost a third of a B-tree's to
-- insert: 1.1-1.6 against 3.2 µs a row, bench/IMPORTER.md); the matched users of an owner's
-- earlier imports (projection.contacts_among)
CREATE INDEX import_row_statuses_by_status ON import_row_statuses (import_id, status, row_number);
CREATE INDEX import_row_statuses_by_number ON import_row_statuses USING hash (phone_e164)
    WHERE phone_e164 IS NOT NULL;
CREATE INDEX import_row_statuses_by_matched_user ON import_row_statuses (matched_user_id)
    WHERE matched_user_id IS NOT NULL;

-- Each row with its status, as `import_rows` read before: before validation, the reason is the
-- fault found while reading the row, if any (validation then gives it as the row's status).
-- Each row's status is looked up by its key, always (a lateral sub-query with LIMIT 1, which
-- the planner keeps as it is): as a plain join, an import written since the last ANALYZE is
-- estimated at one row, and Postgres scanned the whole import's statuses once per row (a
-- 200,000-row import's check ran for 25 minutes).
CREATE VIEW import_row_results AS
SELECT r.import_id, r.row_number, r.raw_phone, r.display_name, r.first_name, r.last_name,
       r.email, r.country, s.phone_e164, s.status,
       coalesce(s.reason_code, r.read_fault_code) AS reason_code,
       coalesce(s.reason, r.read_fault) AS reason, s.matched_user_id
FROM import_rows r LEFT JOIN LATERAL (
    SELECT * FROM import_row_statuses s
    WHERE s.import_id = r.import_id AND s.row_number = r.row_number LIMIT 1
) s ON true;
