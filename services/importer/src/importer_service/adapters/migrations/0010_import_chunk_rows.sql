-- The rows per work item an import was cut into at its start, kept for its whole validation:
-- every later step recomputes the chunks from it (chunk_window.row_chunks), so a change of the
-- rule, of IMPORT_CHUNK_ROWS or of the work topic's partitions while it runs never cuts its
-- second pass (or the rest of its first) differently from its start. NULL: started by a
-- release that did not record it, whose rule (chunks of at least 1,000 rows) it keeps.
ALTER TABLE imports ADD COLUMN chunk_rows integer;
