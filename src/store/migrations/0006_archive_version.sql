-- A counter of changes to what readers see. Servers drop their page caches when it
-- moves; writes that readers never see (the mail queue, sessions, tokens, bounces) leave
-- it alone, so sending a post to 10,000 subscribers does not empty every cache 10,000
-- times.
CREATE TABLE archive_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
);
INSERT INTO archive_version (id, n) VALUES (1, 0);

CREATE TRIGGER messages_seen_insert AFTER INSERT ON messages BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER messages_seen_update AFTER UPDATE ON messages BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER messages_seen_delete AFTER DELETE ON messages BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER lists_seen_insert AFTER INSERT ON lists BEGIN UPDATE archive_version SET n = n + 1; END;
-- A list's digest mark moves daily; readers see none of it.
CREATE TRIGGER lists_seen_update AFTER UPDATE OF name, address, description, moderated ON lists
  BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER forums_seen_insert AFTER INSERT ON forums BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER forums_seen_update AFTER UPDATE ON forums BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER people_seen_update AFTER UPDATE ON people BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER addresses_seen_update AFTER UPDATE ON addresses BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER users_seen_insert AFTER INSERT ON users BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER users_seen_update AFTER UPDATE ON users BEGIN UPDATE archive_version SET n = n + 1; END;
CREATE TRIGGER moderation_seen_insert AFTER INSERT ON moderation_log BEGIN UPDATE archive_version SET n = n + 1; END;
