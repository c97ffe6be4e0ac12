-- The parse pass's results, one row per chunk (arrays in row order), read back by the emit
-- pass: so each import row is written once during validation, with its final status.
CREATE TABLE import_chunk_checks (
    import_id    uuid      NOT NULL,
    first_row    integer   NOT NULL,
    row_numbers  integer[] NOT NULL,
    phones       text[]    NOT NULL, -- E.164 of the valid rows, NULL for the invalid ones
    reason_codes text[]    NOT NULL,
    reasons      text[]    NOT NULL,
    PRIMARY KEY (import_id, first_row)
);

-- Numbers that several valid rows of an import have, with the first of those rows: computed
-- once when the whole import is parsed ("duplicate in this import" points there).
CREATE TABLE import_duplicates (
    import_id  uuid    NOT NULL,
    phone_e164 text    NOT NULL,
    first_row  integer NOT NULL,
    PRIMARY KEY (import_id, phone_e164)
);

-- Only the first-row look-up used it; the duplicates are found above now.
DROP INDEX import_rows_by_phone;
