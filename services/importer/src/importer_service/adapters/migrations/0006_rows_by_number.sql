-- When an account closes, every import row with its number is erased (adapters/erasure.py):
-- found by this index rather than by reading every import ever made.
CREATE INDEX import_rows_by_number ON import_rows (phone_e164) WHERE phone_e164 IS NOT NULL;
