-- Personal contacts who work for a company, split by list and in name order: a list's total
-- subtracts the owner's colleagues who are also personal contacts (they are listed once), and
-- with these it counts them from the index alone, in a name range too.
DROP INDEX contacts_in_company;
CREATE INDEX contacts_active_in_company ON contacts (owner_id, contact_company_id, sort_name)
    WHERE archived_at IS NULL AND contact_company_id IS NOT NULL;
CREATE INDEX contacts_archived_in_company ON contacts (owner_id, contact_company_id, sort_name)
    WHERE archived_at IS NOT NULL AND contact_company_id IS NOT NULL;
