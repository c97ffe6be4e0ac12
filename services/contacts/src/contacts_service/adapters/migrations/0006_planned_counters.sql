-- The counters' triggers (migrations 0003-0005) wrote their upsert as text and ran it with
-- EXECUTE, so Postgres parsed and planned it at every statement: three times for each contact
-- added or archived (its name, its company, its list's size), about 0.4 ms of Postgres CPU,
-- more than the statement that changed the contact. Each counter now has a trigger function
-- of its own for each operation, its upsert written out once here: static SQL, which PL/pgSQL
-- plans once per session and keeps. The statements are the same as before (one upsert per
-- statement whatever its size, the counter rows taken in key order), and the counters' table
-- is still named with this schema, so any session's changes are counted whatever its
-- search_path.

-- Replaces the three triggers `<prefix>_inserted|_updated|_deleted` on `counted_table` (those of
-- count_rows_of, migration 0005, whose arguments these are) by functions of the same names.
CREATE FUNCTION plan_counter(
    counted_table text, prefix text, counters text, key text, row_key text, which text
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    upsert constant text := format(
        'INSERT INTO %I.%I AS c (%s, n) SELECT %s, sum(d) FROM (%%s) AS change'
        ' GROUP BY %s HAVING sum(d) <> 0 ORDER BY %s'
        ' ON CONFLICT (%s) DO UPDATE SET n = c.n + excluded.n',
        current_schema(), counters, key, key, key, key, key);
    added constant text := format('SELECT %s, 1 AS d FROM new_rows WHERE %s', row_key, which);
    removed constant text := format('SELECT %s, -1 AS d FROM old_rows WHERE %s', row_key, which);
    -- operation, trigger suffix, transition tables, the rows' changes
    operations constant text[][] := ARRAY[
        ['INSERT', '_inserted', 'NEW TABLE AS new_rows', added],
        ['UPDATE', '_updated', 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
         removed || ' UNION ALL ' || added],
        ['DELETE', '_deleted', 'OLD TABLE AS old_rows', removed]
    ];
    name text;
    i int;
BEGIN
    FOR i IN 1 .. array_length(operations, 1) LOOP
        name := prefix || operations[i][2];
        EXECUTE format('DROP TRIGGER %I ON %I', name, counted_table);
        EXECUTE format(
            'CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS %L', name,
            format(E'BEGIN\n    %s;\n    RETURN NULL;\nEND', format(upsert, operations[i][4])));
        EXECUTE format(
            'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT'
            ' EXECUTE FUNCTION %I()',
            name, operations[i][1], counted_table, operations[i][3], name);
    END LOOP;
END
$fn$;

SELECT plan_counter('contacts', 'contacts_names', 'name_counts', 'scope_id, list, bucket',
    $$owner_id AS scope_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END AS list, left(sort_name, 3) AS bucket$$,
    'true');
SELECT plan_counter('company_members', 'members_names', 'name_counts', 'scope_id, list, bucket',
    $$company_id AS scope_id, 'members' AS list, left(sort_name, 3) AS bucket$$, 'true');
SELECT plan_counter('contact_points', 'points_names', 'name_counts', 'scope_id, list, bucket',
    $$company_id AS scope_id, 'points' AS list, left(sort_name, 3) AS bucket$$, 'true');
SELECT plan_counter('contacts', 'contacts_companies', 'company_contact_counts',
    'owner_id, company_id, list',
    $$owner_id, contact_company_id AS company_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END AS list$$,
    'contact_company_id IS NOT NULL');
SELECT plan_counter('contacts', 'contacts_sizes', 'list_sizes', 'scope_id, list',
    $$owner_id AS scope_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END AS list$$,
    'true');
SELECT plan_counter('company_members', 'members_sizes', 'list_sizes', 'scope_id, list',
    $$company_id AS scope_id, 'members' AS list$$, 'true');
SELECT plan_counter('contact_points', 'points_sizes', 'list_sizes', 'scope_id, list',
    $$company_id AS scope_id, 'points' AS list$$, 'true');

DROP FUNCTION plan_counter(text, text, text, text, text, text);
DROP FUNCTION count_rows_of(text, text, text, text, text, text);
DROP FUNCTION count_rows();
