-- The per-tenant allow-list of destination countries (SMS pumping). A tenant is a company.
-- By default a tenant's invitations may go to the countries of its members' phone numbers,
-- known from the directory's events; a tenant's admins may set an explicit list instead.

-- The region (ISO 3166 code from phonenumbers, '001' for non-geographic) of each user's phone.
ALTER TABLE directory_users ADD COLUMN phone_region text;

-- Projection of directory.companies: who belongs to which company (a user belongs to at most
-- one), as what, and the region of their phone (copied from directory_users, which may arrive
-- later on its own topic). `version` is the event's time: a late join never overwrites a newer.
CREATE TABLE company_members (
    user_id      uuid PRIMARY KEY,
    company_id   uuid        NOT NULL,
    role         text        NOT NULL,
    phone_region text,
    version      timestamptz NOT NULL
);
-- "Is one of this company's members in this region?" is one index probe; the distinct regions
-- of a company are a loose index scan (for the refusal's explanation).
CREATE INDEX company_members_by_region ON company_members (company_id, phone_region);

-- The explicit lists set by tenants' admins; a tenant without a row uses its members' regions.
CREATE TABLE tenant_destination_countries (
    tenant_id  uuid PRIMARY KEY,
    countries  text[]      NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
