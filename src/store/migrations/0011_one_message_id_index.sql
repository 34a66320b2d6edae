-- Fewer index writes per imported message (docs/PERFORMANCE.md, session 15).
-- Lookups by Message-ID go through the unique (list_id, dedup_key) index, whose key of
-- the first message with an id is "<id>" (SqlStore IdKey): messages_list_mid held nearly
-- the same strings a second time, and every import batch rewrote most of its pages.
DROP INDEX messages_list_mid;

-- References keyed by (ref, message) in one b-tree instead of a table plus an index on ref.
-- A message names each reference once (the parser drops repeats).
CREATE TABLE message_refs_by_ref (
  ref TEXT NOT NULL,
  message INTEGER NOT NULL REFERENCES messages(id),
  PRIMARY KEY (ref, message)
) WITHOUT ROWID;
INSERT OR IGNORE INTO message_refs_by_ref (ref, message) SELECT ref, message FROM message_refs ORDER BY ref, message;
DROP TABLE message_refs;
ALTER TABLE message_refs_by_ref RENAME TO message_refs;
