-- The directory: who is a user of the product, companies and their contact points.

-- One namespace of ConnectIDs for users and contact points (canonical form, no separators).
CREATE TABLE connect_ids (
    connect_id text PRIMARY KEY CHECK (connect_id ~ '^[2-9A-HJKMNP-Z]{9}$'),
    kind       text NOT NULL CHECK (kind IN ('user', 'contact_point')),
    owner_id   uuid NOT NULL UNIQUE
);

CREATE TABLE companies (
    company_id uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    user_id        uuid PRIMARY KEY,
    connect_id     text NOT NULL UNIQUE REFERENCES connect_ids (connect_id),
    display_name   text NOT NULL,
    phone_e164     text NOT NULL,
    email          text,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz
);
-- A phone number or email belongs to at most one active user.
CREATE UNIQUE INDEX users_active_phone ON users (phone_e164) WHERE status = 'active';
CREATE UNIQUE INDEX users_active_email ON users (lower(email))
    WHERE status = 'active' AND email IS NOT NULL;

-- A user belongs to at most one company.
CREATE TABLE memberships (
    user_id    uuid PRIMARY KEY REFERENCES users (user_id),
    company_id uuid NOT NULL REFERENCES companies (company_id),
    role       text NOT NULL CHECK (role IN ('member', 'admin')),
    joined_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memberships_company ON memberships (company_id, user_id);

CREATE TABLE contact_points (
    contact_point_id uuid PRIMARY KEY,
    company_id       uuid NOT NULL REFERENCES companies (company_id),
    connect_id       text NOT NULL UNIQUE REFERENCES connect_ids (connect_id),
    display_name     text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    removed_at       timestamptz
);
CREATE INDEX contact_points_company ON contact_points (company_id) WHERE removed_at IS NULL;

-- Token buckets for per-user limits (ConnectID look-ups), shared by every instance.
CREATE TABLE rate_limits (
    subject    text NOT NULL,
    action     text NOT NULL,
    tokens     double precision NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (subject, action)
);
