-- Bulk onboarding (issue 15): what the importer keeps for one-call imports and live progress.
-- `encoding`: the text encoding a CSV file is read with (detected, or chosen by the person).
-- `auto_start` / `auto_invite`: asked for at upload; the pipeline starts the import once its
-- rows are read, and invites its ready rows once it completes (`invitations`: what that did).
-- `rows_parsed` / `rows_done`: rows through each pass so far, and `counts` per status so far
-- (final once completed), kept by the chunks' own transactions so any instance can read them.
-- `sheets` becomes a list of {name, has_phone_column} (whether its header row has one).
ALTER TABLE imports
    ADD COLUMN encoding    text,
    ADD COLUMN auto_start  boolean NOT NULL DEFAULT false,
    ADD COLUMN auto_invite boolean NOT NULL DEFAULT false,
    ADD COLUMN invitations jsonb,
    ADD COLUMN rows_parsed integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_done   integer NOT NULL DEFAULT 0;

UPDATE imports SET sheets = (
    SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'has_phone_column', null)), '[]')
    FROM jsonb_array_elements_text(sheets) AS name
) WHERE jsonb_typeof(sheets -> 0) = 'string';
