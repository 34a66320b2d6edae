-- PostgreSQL twin of ../0009_compression_dictionaries.sql. The id is the dictionary's own
-- (zstd's dictID), never generated.
CREATE TABLE compression_dictionaries (
  id BIGINT PRIMARY KEY,
  data BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
