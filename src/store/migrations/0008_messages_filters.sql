-- What search filters read of each full-text match (list, date, sender), narrow enough
-- that a filter on a common word reads a few pages of this index instead of one message
-- row (a page each) per match. Used by SQLite's search (sqlite_store.cc, INDEXED BY).
CREATE INDEX messages_filters ON messages(id, list_id, date, address_id, from_name);
