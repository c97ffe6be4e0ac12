-- How many of an owner's personal contacts work for each company, per list: a list's total
-- subtracts the owner's colleagues who are also personal contacts (they are listed once), and
-- counting them from `contacts_*_in_company` read thousands of index entries on every first
-- page (2,000 of the bench's 100,000 personal contacts: a third of the page's Postgres time).
-- Kept like `name_counts` (migration 0003): statement-level triggers, one upsert per
-- statement in the transaction that changes the rows, whatever changed (a contact added,
-- archived, removed, or their company's membership: `contact_company_id`).
CREATE TABLE company_contact_counts (
    owner_id   uuid NOT NULL,
    company_id uuid NOT NULL,
    list       text NOT NULL CHECK (list IN ('active', 'archived')),
    n          integer NOT NULL,
    PRIMARY KEY (owner_id, company_id, list)
);

CREATE FUNCTION count_company_contacts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    keyed constant text := 'SELECT owner_id, contact_company_id AS company_id,'
        ' CASE WHEN archived_at IS NULL THEN ''active'' ELSE ''archived'' END AS list';
    changes text;
BEGIN
    changes := CASE TG_OP
        WHEN 'INSERT' THEN format('%s, 1 AS d FROM new_rows', keyed)
        WHEN 'DELETE' THEN format('%s, -1 AS d FROM old_rows', keyed)
        ELSE format('%s, -1 AS d FROM old_rows UNION ALL %s, 1 FROM new_rows', keyed, keyed)
    END;
    EXECUTE format(
        'INSERT INTO %I.company_contact_counts AS c (owner_id, company_id, list, n)'
        ' SELECT owner_id, company_id, list, sum(d) FROM (%s) AS change'
        ' WHERE company_id IS NOT NULL'
        ' GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3'
        ' ON CONFLICT (owner_id, company_id, list) DO UPDATE SET n = c.n + excluded.n',
        TG_TABLE_SCHEMA, changes
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

CREATE TRIGGER contacts_companies_inserted AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_company_contacts();
CREATE TRIGGER contacts_companies_updated AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_company_contacts();
CREATE TRIGGER contacts_companies_deleted AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_company_contacts();
CREATE TRIGGER contacts_companies_truncated AFTER TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION forget_company_contacts();

INSERT INTO company_contact_counts (owner_id, company_id, list, n)
SELECT owner_id, contact_company_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END,
       count(*)
FROM contacts WHERE contact_company_id IS NOT NULL GROUP BY 1, 2, 3;
