-- Every counter the lists read, kept by one mechanism: the statement-level triggers of
-- migrations 0003/0004 (`count_rows`), in the transaction that changes the rows, one upsert
-- per statement whatever its size. Until now the sizes of the lists were kept by the Python
-- code that changed the rows (`owner_counts`, `companies.member_count` and
-- `contact_point_count`), so a change made any other way (a COPY, a rebuild, a hand-written
-- statement) left them wrong; the triggers count whatever writes the rows.
--
-- `scope_id` is the owner (lists `active` and `archived` of personal contacts) or the company
-- (`members`, `points`), as in `name_counts`; a list's size is the sum of its name buckets,
-- kept here once so that a first page reads one row instead of thousands.
CREATE TABLE list_sizes (
    scope_id uuid NOT NULL,
    list     text NOT NULL CHECK (list IN ('active', 'archived', 'members', 'points')),
    n        integer NOT NULL,
    PRIMARY KEY (scope_id, list)
);

-- TG_ARGV: the lists the truncated table counts.
CREATE FUNCTION forget_list_sizes() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('DELETE FROM %I.list_sizes WHERE list = ANY ($1)', TG_TABLE_SCHEMA)
        USING TG_ARGV;
    RETURN NULL;
END
$fn$;

-- Creates the INSERT, UPDATE and DELETE triggers that keep `counters` (keyed by `key`) for
-- `counted_table`: count_rows' arguments (migration 0004), for the next counter too.
CREATE FUNCTION count_rows_of(
    counted_table text, prefix text, counters text, key text, row_key text, which text
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    transition constant jsonb := jsonb_build_object(
        'INSERT', 'NEW TABLE AS new_rows',
        'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
        'DELETE', 'OLD TABLE AS old_rows');
    operation text;
BEGIN
    FOREACH operation IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT'
            ' EXECUTE FUNCTION count_rows(%L, %L, %L, %L)',
            prefix || CASE operation WHEN 'INSERT' THEN '_inserted' WHEN 'UPDATE' THEN '_updated'
                                     ELSE '_deleted' END,
            operation, counted_table,
            transition ->> operation, counters, key, row_key, which);
    END LOOP;
END
$fn$;

SELECT count_rows_of('contacts', 'contacts_sizes', 'list_sizes', 'scope_id, list',
    $$owner_id AS scope_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END AS list$$,
    'true');
SELECT count_rows_of('company_members', 'members_sizes', 'list_sizes', 'scope_id, list',
    $$company_id AS scope_id, 'members' AS list$$, 'true');
SELECT count_rows_of('contact_points', 'points_sizes', 'list_sizes', 'scope_id, list',
    $$company_id AS scope_id, 'points' AS list$$, 'true');

CREATE TRIGGER contacts_sizes_truncated AFTER TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION forget_list_sizes('active', 'archived');
CREATE TRIGGER members_sizes_truncated AFTER TRUNCATE ON company_members
    FOR EACH STATEMENT EXECUTE FUNCTION forget_list_sizes('members');
CREATE TRIGGER points_sizes_truncated AFTER TRUNCATE ON contact_points
    FOR EACH STATEMENT EXECUTE FUNCTION forget_list_sizes('points');

-- Counted again from the rows, not copied from the old counters.
INSERT INTO list_sizes (scope_id, list, n)
SELECT owner_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END, count(*)
FROM contacts GROUP BY 1, 2;
INSERT INTO list_sizes (scope_id, list, n)
SELECT company_id, 'members', count(*) FROM company_members GROUP BY 1;
INSERT INTO list_sizes (scope_id, list, n)
SELECT company_id, 'points', count(*) FROM contact_points GROUP BY 1;

DROP TABLE owner_counts;
ALTER TABLE companies DROP COLUMN member_count, DROP COLUMN contact_point_count;
