-- Posts written on the web can be edited by their author or a moderator; every earlier
-- version stays, so readers can see what changed (zstd text).
CREATE TABLE message_edits (
  id INTEGER PRIMARY KEY,
  message INTEGER NOT NULL REFERENCES messages(id),
  editor_id INTEGER REFERENCES users(id),
  edited_at INTEGER NOT NULL,
  previous_subject TEXT NOT NULL,
  previous_text BLOB NOT NULL
);
CREATE INDEX message_edits_message ON message_edits(message, id);
