-- Contacts of each user, and the local projection of the directory they are built from.
-- Names are kept with a `sort_name` (case- and accent-folded, C collation) so that lists are
-- index range scans in display-name order, and name-prefix search is one more range.

-- Projection of directory.users. `version` is the time of the last event applied: a replayed
-- older event never overwrites newer state.
CREATE TABLE directory_users (
    user_id      uuid PRIMARY KEY,
    connect_id   text        NOT NULL,
    display_name text        NOT NULL,
    sort_name    text COLLATE "C" NOT NULL,
    active       boolean     NOT NULL,
    version      timestamptz NOT NULL
);
CREATE INDEX directory_users_connect_id ON directory_users (connect_id) WHERE active;

-- Projection of directory.companies: companies, their members and contact points. Membership
-- is stored once per member (never per pair of members): a company of N members is N rows.
CREATE TABLE companies (
    company_id          uuid PRIMARY KEY,
    name                text,
    member_count        integer NOT NULL DEFAULT 0,
    contact_point_count integer NOT NULL DEFAULT 0
);
CREATE TABLE company_members (
    company_id uuid NOT NULL,
    user_id    uuid NOT NULL,
    sort_name  text COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX company_members_by_name ON company_members (company_id, sort_name, user_id);
CREATE INDEX company_members_by_user ON company_members (user_id);
CREATE TABLE contact_points (
    contact_point_id uuid PRIMARY KEY,
    company_id       uuid NOT NULL,
    connect_id       text NOT NULL,
    display_name     text NOT NULL,
    sort_name        text COLLATE "C" NOT NULL
);
CREATE INDEX contact_points_by_name ON contact_points (company_id, sort_name, contact_point_id);

-- Personal contacts (own state). Name, ConnectID and company of the contact are copied from
-- the projection and kept up to date by it.
CREATE TABLE contacts (
    owner_id           uuid        NOT NULL,
    contact_user_id    uuid        NOT NULL,
    display_name       text,
    sort_name          text COLLATE "C" NOT NULL DEFAULT '',
    connect_id         text,
    contact_company_id uuid,
    source             text        NOT NULL,
    import_id          uuid,
    invitation_id      uuid,
    added_at           timestamptz NOT NULL DEFAULT now(),
    archived_at        timestamptz,
    PRIMARY KEY (owner_id, contact_user_id)
);
CREATE INDEX contacts_active ON contacts (owner_id, sort_name, contact_user_id)
    WHERE archived_at IS NULL;
CREATE INDEX contacts_archived ON contacts (owner_id, sort_name, contact_user_id)
    WHERE archived_at IS NOT NULL;
CREATE INDEX contacts_by_contact ON contacts (contact_user_id);
CREATE INDEX contacts_in_company ON contacts (owner_id, contact_company_id)
    WHERE contact_company_id IS NOT NULL;

-- Per-owner counts of personal contacts, kept in the transactions that change them, so that
-- a list's total never needs to count a hundred thousand rows.
CREATE TABLE owner_counts (
    owner_id uuid PRIMARY KEY,
    active   integer NOT NULL DEFAULT 0,
    archived integer NOT NULL DEFAULT 0
);
