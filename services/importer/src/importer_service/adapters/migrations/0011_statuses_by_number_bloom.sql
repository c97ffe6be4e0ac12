-- An account closure's erasure finds the rows of a number through a BRIN bloom index instead of
-- a hash index. Every row an import stores went into the hash index at a random place, with a
-- full-page image in the WAL for each page first touched after a checkpoint and for each bucket
-- split: 3.5-3.8 µs of Postgres CPU a row, more than half of the statuses' `COPY`
-- (bench/IMPORTER.md, "the statuses' number index as a bloom filter"). A bloom summary per 32
-- heap pages costs nothing on insert (new rows land in ranges not summarised yet) and 0.2 µs a
-- row when the importer summarises the new ranges (adapters/status_summaries.py, every few
-- seconds; not `autosummarize`, whose queue one large import overflows). The look-up reads every
-- summary, then the heap pages of the ranges that may hold the number (the not yet summarised
-- ones included, so it never misses a row): about 2.3 MB of index per million rows, 0.8 ms for
-- a number among a million rows. 2,000 values a range: a range holds about 1,800 rows of 145
-- bytes; at that size a filter answers "maybe" for an absent number once in a thousand ranges.
-- Built in the migration's transaction (the table's writes wait, about 0.2 s a million rows);
-- on a large table create it first by hand, `CREATE INDEX CONCURRENTLY IF NOT EXISTS` with this
-- definition, and the migration finds it (docs/data-retention.md).
DROP INDEX import_row_statuses_by_number;
CREATE INDEX IF NOT EXISTS import_row_statuses_number_bloom ON import_row_statuses
    USING brin (phone_e164 text_bloom_ops (n_distinct_per_range = 2000, false_positive_rate = 0.001))
    WITH (pages_per_range = 32);
