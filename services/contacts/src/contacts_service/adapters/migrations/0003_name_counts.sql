-- How many names of each list start with the same three letters, so that the total of a
-- search by a prefix of up to three letters (the common case, and the widest ranges: "ma" is
-- 14 % of a list) sums a few counters instead of counting tens of thousands of index entries.
-- Longer prefixes narrow the range enough to be counted from the name indexes.
--
-- `scope_id` is the owner (lists `active` and `archived` of personal contacts) or the company
-- (`members`, `points`); `bucket` is left(sort_name, 3). Statement-level triggers keep the
-- counters in the transaction that changes the rows, one upsert per statement whatever its
-- size, taking the counter rows in key order; a TRUNCATE of a table forgets its counters.
-- The counters are named with the table's schema, so any session's changes are counted,
-- whatever its search_path.
CREATE TABLE name_counts (
    scope_id uuid NOT NULL,
    list     text NOT NULL CHECK (list IN ('active', 'archived', 'members', 'points')),
    bucket   text COLLATE "C" NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (scope_id, list, bucket)
);

-- TG_ARGV[0]: the scope column; TG_ARGV[1]: the list, an SQL expression over the row.
CREATE FUNCTION count_names() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    keyed constant text := format(
        'SELECT %s AS scope_id, %s AS list, left(sort_name, 3) AS bucket', TG_ARGV[0], TG_ARGV[1]
    );
    changes text;
BEGIN
    changes := CASE TG_OP
        WHEN 'INSERT' THEN format('%s, 1 AS d FROM new_rows', keyed)
        WHEN 'DELETE' THEN format('%s, -1 AS d FROM old_rows', keyed)
        ELSE format('%s, -1 AS d FROM old_rows UNION ALL %s, 1 FROM new_rows', keyed, keyed)
    END;
    EXECUTE format(
        'INSERT INTO %I.name_counts AS c (scope_id, list, bucket, n)'
        ' SELECT scope_id, list, bucket, sum(d) FROM (%s) AS change'
        ' GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3'
        ' ON CONFLICT (scope_id, list, bucket) DO UPDATE SET n = c.n + excluded.n',
        TG_TABLE_SCHEMA, changes
    );
    RETURN NULL;
END
$fn$;

-- TG_ARGV: the lists the truncated table counts.
CREATE FUNCTION forget_names() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('DELETE FROM %I.name_counts WHERE list = ANY ($1)', TG_TABLE_SCHEMA)
        USING TG_ARGV;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER contacts_names_inserted AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('owner_id', $$CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END$$);
CREATE TRIGGER contacts_names_updated AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('owner_id', $$CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END$$);
CREATE TRIGGER contacts_names_deleted AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('owner_id', $$CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END$$);
CREATE TRIGGER contacts_names_truncated AFTER TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION forget_names('active', 'archived');

CREATE TRIGGER members_names_inserted AFTER INSERT ON company_members
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('company_id', $$'members'$$);
CREATE TRIGGER members_names_updated AFTER UPDATE ON company_members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('company_id', $$'members'$$);
CREATE TRIGGER members_names_deleted AFTER DELETE ON company_members
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('company_id', $$'members'$$);
CREATE TRIGGER members_names_truncated AFTER TRUNCATE ON company_members
    FOR EACH STATEMENT EXECUTE FUNCTION forget_names('members');

CREATE TRIGGER points_names_inserted AFTER INSERT ON contact_points
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('company_id', $$'points'$$);
CREATE TRIGGER points_names_updated AFTER UPDATE ON contact_points
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('company_id', $$'points'$$);
CREATE TRIGGER points_names_deleted AFTER DELETE ON contact_points
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_names('company_id', $$'points'$$);
CREATE TRIGGER points_names_truncated AFTER TRUNCATE ON contact_points
    FOR EACH STATEMENT EXECUTE FUNCTION forget_names('points');

INSERT INTO name_counts (scope_id, list, bucket, n)
SELECT owner_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END,
       left(sort_name, 3), count(*)
FROM contacts GROUP BY 1, 2, 3;
INSERT INTO name_counts (scope_id, list, bucket, n)
SELECT company_id, 'members', left(sort_name, 3), count(*) FROM company_members GROUP BY 1, 3;
INSERT INTO name_counts (scope_id, list, bucket, n)
SELECT company_id, 'points', left(sort_name, 3), count(*) FROM contact_points GROUP BY 1, 3;
