-- How many of an owner's personal contacts work for each company, per list: a list's total
-- subtracts the owner's colleagues who are also personal contacts (they are listed once), and
-- counting them from `contacts_*_in_company` read thousands of index entries on every first
-- page (2,000 of the bench's 100,000 personal contacts: a third of the page's Postgres time).
-- Kept like `name_counts` (migration 0003), by the same trigger function, now general: any
-- change of a contact (added, archived, removed, or their company's membership:
-- `contact_company_id`) is counted in the transaction that makes it.
CREATE TABLE company_contact_counts (
    owner_id   uuid NOT NULL,
    company_id uuid NOT NULL,
    list       text NOT NULL CHECK (list IN ('active', 'archived')),
    n          integer NOT NULL,
    PRIMARY KEY (owner_id, company_id, list)
);

-- TG_ARGV[0]: the counters' table; [1]: its key columns; [2]: the key of a row, an SQL select
-- list over the changed table's row naming those columns; [3]: which rows count (a condition).
-- One upsert per statement whatever its size, taking the counter rows in key order.
CREATE FUNCTION count_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    keyed constant text := format('SELECT %s', TG_ARGV[2]);
    counted constant text := format(' WHERE %s', TG_ARGV[3]);
    changes text;
BEGIN
    changes := CASE TG_OP
        WHEN 'INSERT' THEN format('%s, 1 AS d FROM new_rows%s', keyed, counted)
        WHEN 'DELETE' THEN format('%s, -1 AS d FROM old_rows%s', keyed, counted)
        ELSE format('%s, -1 AS d FROM old_rows%s UNION ALL %s, 1 FROM new_rows%s',
                    keyed, counted, keyed, counted)
    END;
    EXECUTE format(
        'INSERT INTO %I.%I AS c (%s, n) SELECT %s, sum(d) FROM (%s) AS change'
        ' GROUP BY %s HAVING sum(d) <> 0 ORDER BY %s'
        ' ON CONFLICT (%s) DO UPDATE SET n = c.n + excluded.n',
        TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1], TG_ARGV[1], changes,
        TG_ARGV[1], TG_ARGV[1], TG_ARGV[1]
    );
    RETURN NULL;
END
$fn$;

CREATE FUNCTION forget_company_contacts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('TRUNCATE %I.company_contact_counts', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$fn$;

-- The contacts' counters of names (0003) by the general function; the old one goes.
DROP TRIGGER contacts_names_inserted ON contacts;
DROP TRIGGER contacts_names_updated ON contacts;
DROP TRIGGER contacts_names_deleted ON contacts;
DROP TRIGGER members_names_inserted ON company_members;
DROP TRIGGER members_names_updated ON company_members;
DROP TRIGGER members_names_deleted ON company_members;
DROP TRIGGER points_names_inserted ON contact_points;
DROP TRIGGER points_names_updated ON contact_points;
DROP TRIGGER points_names_deleted ON contact_points;
DROP FUNCTION count_names();

DO $do$
DECLARE
    counted constant text[][] := ARRAY[
        -- table, trigger prefix, counters, their key, a row's key, which rows
        ['contacts', 'contacts_names', 'name_counts', 'scope_id, list, bucket',
         $$owner_id AS scope_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END AS list, left(sort_name, 3) AS bucket$$,
         'true'],
        ['company_members', 'members_names', 'name_counts', 'scope_id, list, bucket',
         $$company_id AS scope_id, 'members' AS list, left(sort_name, 3) AS bucket$$, 'true'],
        ['contact_points', 'points_names', 'name_counts', 'scope_id, list, bucket',
         $$company_id AS scope_id, 'points' AS list, left(sort_name, 3) AS bucket$$, 'true'],
        ['contacts', 'contacts_companies', 'company_contact_counts', 'owner_id, company_id, list',
         $$owner_id, contact_company_id AS company_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END AS list$$,
         'contact_company_id IS NOT NULL']
    ];
    i int;
BEGIN
    FOR i IN 1 .. array_length(counted, 1) LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows'
            ' FOR EACH STATEMENT EXECUTE FUNCTION count_rows(%L, %L, %L, %L)',
            counted[i][2] || '_inserted', counted[i][1], counted[i][3], counted[i][4],
            counted[i][5], counted[i][6]);
        EXECUTE format(
            'CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows'
            ' NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_rows(%L, %L, %L, %L)',
            counted[i][2] || '_updated', counted[i][1], counted[i][3], counted[i][4],
            counted[i][5], counted[i][6]);
        EXECUTE format(
            'CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows'
            ' FOR EACH STATEMENT EXECUTE FUNCTION count_rows(%L, %L, %L, %L)',
            counted[i][2] || '_deleted', counted[i][1], counted[i][3], counted[i][4],
            counted[i][5], counted[i][6]);
    END LOOP;
END
$do$;

CREATE TRIGGER contacts_companies_truncated AFTER TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION forget_company_contacts();

INSERT INTO company_contact_counts (owner_id, company_id, list, n)
SELECT owner_id, contact_company_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END,
       count(*)
FROM contacts WHERE contact_company_id IS NOT NULL GROUP BY 1, 2, 3;
