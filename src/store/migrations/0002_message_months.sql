-- The range of message ids stored for each calendar month (UTC), so a date-filtered
-- search can bound the index's rowids with two lookups instead of scanning the date index.
CREATE TABLE message_months (
  month INTEGER PRIMARY KEY,  -- yyyymm
  min_id INTEGER NOT NULL,
  max_id INTEGER NOT NULL
);
INSERT INTO message_months (month, min_id, max_id)
  SELECT CAST(strftime('%Y%m', date, 'unixepoch') AS INTEGER), min(id), max(id) FROM messages GROUP BY 1;
