-- zstd dictionaries, each trained on the first messages of an archive's first large
-- import: mailing-list messages share their headers, footers and phrasing, so against a
-- dictionary they compress about twice as well (docs/PERFORMANCE.md). Every zstd frame
-- made with one names it by id (zstd's dictID), so frames made before or without a
-- dictionary stay readable. Never deleted: stored frames may need any of them.
CREATE TABLE compression_dictionaries (
  id INTEGER PRIMARY KEY,  -- the dictionary's zstd dictID, 32768 .. 2^31-1
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
