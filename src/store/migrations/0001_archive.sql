-- The archive: forums, lists, people, threads, messages with their raw bytes.
CREATE TABLE forums (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE lists (
  id INTEGER PRIMARY KEY,
  forum_id INTEGER NOT NULL REFERENCES forums(id),
  name TEXT NOT NULL,
  UNIQUE (forum_id, name)
);

-- One person, many addresses. stakeholder_group is one of: government, private-sector,
-- civil-society, technical-community, academia, intergovernmental, unknown.
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT '',
  stakeholder_group TEXT NOT NULL DEFAULT 'unknown',
  affiliation TEXT NOT NULL DEFAULT ''
);

CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL UNIQUE,
  person_id INTEGER NOT NULL REFERENCES people(id),
  display_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX addresses_person ON addresses(person_id);

CREATE TABLE threads (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES lists(id),
  subject TEXT NOT NULL DEFAULT '',
  base_subject TEXT NOT NULL DEFAULT '',
  -- Started by a reply without references, so a later original may still join it.
  rooted_in_reply INTEGER NOT NULL DEFAULT 0,
  first_date INTEGER NOT NULL DEFAULT 0,
  last_date INTEGER NOT NULL DEFAULT 0,
  message_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX threads_subject ON threads(list_id, base_subject, last_date);
CREATE INDEX threads_list_last ON threads(list_id, last_date);

-- dedup_key is "<message-id>" for the first message with that id in a list, or
-- "hash:<blake2b of raw bytes>" when the id is missing or reused by another message.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES lists(id),
  thread_id INTEGER NOT NULL REFERENCES threads(id),
  parent_id INTEGER REFERENCES messages(id),
  dedup_key TEXT NOT NULL,
  message_id TEXT NOT NULL DEFAULT '',
  refs TEXT NOT NULL DEFAULT '',
  date INTEGER NOT NULL DEFAULT 0,
  address_id INTEGER REFERENCES addresses(id),
  from_name TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  source_format TEXT NOT NULL,
  envelope TEXT NOT NULL DEFAULT '',
  raw_size INTEGER NOT NULL,
  raw_hash TEXT NOT NULL,
  structure TEXT NOT NULL DEFAULT '',
  body_text BLOB,
  body_html BLOB,
  warnings TEXT NOT NULL DEFAULT '',
  UNIQUE (list_id, dedup_key)
);
CREATE INDEX messages_list_mid ON messages(list_id, message_id);
CREATE INDEX messages_thread ON messages(thread_id, date);
CREATE INDEX messages_date ON messages(date);
CREATE INDEX messages_address ON messages(address_id);

-- The message-ids a message names in References/In-Reply-To, for threading replies that
-- arrive before (or without) what they answer.
CREATE TABLE message_refs (
  ref TEXT NOT NULL,
  message INTEGER NOT NULL REFERENCES messages(id)
);
CREATE INDEX message_refs_ref ON message_refs(ref);

-- zstd-compressed bytes exactly as imported (mbox "From " escaping undone).
CREATE TABLE raw_messages (
  message INTEGER PRIMARY KEY REFERENCES messages(id),
  data BLOB NOT NULL
);

-- Content-addressed: one row per distinct attachment content.
CREATE TABLE attachment_blobs (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE attachments (
  message INTEGER NOT NULL REFERENCES messages(id),
  position INTEGER NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
  hash TEXT NOT NULL REFERENCES attachment_blobs(hash),
  PRIMARY KEY (message, position)
) WITHOUT ROWID;

-- What could not be stored as a message, with the reason; kept so nothing is lost.
CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL,
  raw_hash TEXT NOT NULL UNIQUE,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

-- Contentless: the text lives compressed in messages; rowid = messages.id. Columns hold
-- terms already normalised by the importer's workers (see search/fts_tokenizer.h).
CREATE VIRTUAL TABLE message_index USING fts5(subject, body, content='', tokenize='roundtable');

CREATE INDEX addresses_name ON addresses(display_name);

CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);
