-- Imports, their rows and statuses, and the projections the statuses are computed from.

CREATE TABLE imports (
    import_id      uuid PRIMARY KEY,
    owner_id       uuid        NOT NULL,
    source         text        NOT NULL CHECK (source IN ('pasted', 'file')),
    filename       text,
    file_format    text,
    sheets         jsonb       NOT NULL DEFAULT '[]',
    sheet          text,
    headers        jsonb       NOT NULL DEFAULT '[]',
    mapping        jsonb,
    default_region text        NOT NULL,
    status         text        NOT NULL CHECK (status IN
                   ('uploaded', 'extracting', 'extracted', 'validating', 'completed', 'failed', 'replaced')),
    error          jsonb,
    replaces       uuid REFERENCES imports (import_id),
    total_rows     integer,
    chunk_count    integer,
    parsed_chunks  integer     NOT NULL DEFAULT 0,
    emitted_chunks integer     NOT NULL DEFAULT 0,
    counts         jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    completed_at   timestamptz
);
CREATE INDEX imports_by_owner ON imports (owner_id, created_at DESC, import_id);

-- The uploaded file, in chunks, until the import is done (any instance can read it).
CREATE TABLE import_files (
    import_id uuid    NOT NULL REFERENCES imports (import_id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    data      bytea   NOT NULL,
    PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_rows (
    import_id       uuid    NOT NULL,
    row_number      integer NOT NULL,
    raw_phone       text    NOT NULL,
    display_name    text,
    first_name      text,
    last_name       text,
    email           text,
    country         text,
    phone_e164      text,
    status          text,
    reason_code     text,
    reason          text,
    matched_user_id uuid,
    PRIMARY KEY (import_id, row_number)
);
CREATE INDEX import_rows_by_phone ON import_rows (import_id, phone_e164, row_number)
    WHERE phone_e164 IS NOT NULL;
CREATE INDEX import_rows_by_status ON import_rows (import_id, status, row_number);

-- Invitations this importer asked for (one per inviter and number).
CREATE TABLE invitation_requests (
    request_id uuid PRIMARY KEY,
    inviter_id uuid        NOT NULL,
    phone_e164 text        NOT NULL,
    import_id  uuid        NOT NULL,
    row_number integer     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (inviter_id, phone_e164)
);

-- Projections (event-carried state from the directory, contacts and invitations).
CREATE TABLE registered_users (
    user_id    uuid PRIMARY KEY,
    phone_e164 text        NOT NULL,
    active     boolean     NOT NULL,
    version    timestamptz NOT NULL
);
CREATE INDEX registered_users_by_phone ON registered_users (phone_e164) WHERE active;

CREATE TABLE owner_contacts (
    owner_id        uuid NOT NULL,
    contact_user_id uuid NOT NULL,
    PRIMARY KEY (owner_id, contact_user_id)
);

CREATE TABLE pending_invitations (
    invitation_id uuid PRIMARY KEY,
    inviter_id    uuid NOT NULL,
    phone_e164    text
);
CREATE INDEX pending_invitations_by_inviter ON pending_invitations (inviter_id, phone_e164);
CREATE INDEX import_rows_by_matched_user ON import_rows (matched_user_id) WHERE matched_user_id IS NOT NULL;
