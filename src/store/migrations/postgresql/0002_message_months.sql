-- The range of message ids stored for each calendar month (UTC), so a date-filtered
-- search can bound the index's rowids with two lookups instead of scanning the date index.
-- month is a key the store computes, never generated: no identity.
CREATE TABLE message_months (
  month BIGINT PRIMARY KEY,  -- yyyymm
  min_id BIGINT NOT NULL,
  max_id BIGINT NOT NULL
);
INSERT INTO message_months (month, min_id, max_id)
  SELECT replace(rt_month(date), '-', '')::bigint, min(id), max(id) FROM messages GROUP BY 1;
