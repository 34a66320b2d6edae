-- A counter of changes to what readers see. Servers drop their page caches when it
-- moves; writes that readers never see (the mail queue, sessions, tokens, bounces) leave
-- it alone, so sending a post to 10,000 subscribers does not empty every cache 10,000
-- times.
--
-- On PostgreSQL the counter is a sequence, not SQLite's one-row table: every node writes
-- the archive, and one row updated by every writing transaction would serialise them on
-- its row lock. Each change also notifies the channel 'roundtable_archive', which the
-- other server nodes LISTEN on to drop their page caches. A notification is delivered
-- only when its transaction commits (and never if it rolls back), whereas nextval() is
-- not transactional: the sequence moves at once, commit or not, so a reader must go by
-- the notifications, not by polling the sequence. Payloads are unique, not ordered
-- across transactions.
--
-- The triggers are per statement, on the same tables and events as SQLite's per-row
-- ones: a statement changing 500 rows moves the counter once. Unlike SQLite's, they also
-- fire for a statement that changes no row (e.g. INSERT ... ON CONFLICT DO NOTHING): a
-- cache dropped for nothing, never a change missed.
CREATE SEQUENCE archive_version_seq;

CREATE FUNCTION archive_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('roundtable_archive', nextval('archive_version_seq')::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER messages_seen_insert AFTER INSERT ON messages FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER messages_seen_update AFTER UPDATE ON messages FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER messages_seen_delete AFTER DELETE ON messages FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER lists_seen_insert AFTER INSERT ON lists FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
-- A list's digest mark moves daily; readers see none of it.
CREATE TRIGGER lists_seen_update AFTER UPDATE OF name, address, description, moderated ON lists
  FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER forums_seen_insert AFTER INSERT ON forums FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER forums_seen_update AFTER UPDATE ON forums FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER people_seen_update AFTER UPDATE ON people FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER addresses_seen_update AFTER UPDATE ON addresses FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER users_seen_insert AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER users_seen_update AFTER UPDATE ON users FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
CREATE TRIGGER moderation_seen_insert AFTER INSERT ON moderation_log FOR EACH STATEMENT EXECUTE FUNCTION archive_changed();
