-- Participation: sign-in sessions, one-time tokens sent by mail, held posts and the public
-- moderation log, the outbound mail queue, bounces.

-- Values every server node must share, e.g. the key that signs CSRF and unsubscribe tokens.
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

ALTER TABLE users ADD COLUMN approved_posts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
-- Messages show what their author's account declares.
CREATE INDEX users_person ON users(person_id);

-- A signed-in browser. Only a hash of the cookie's random token is kept, so a copy of the
-- database signs nobody in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- A link or reply address sent by mail that proves control of `address`: verify it, reset
-- a password, claim an archived person, confirm joining or leaving a list. Hashed likewise;
-- used once.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'claim', 'join', 'leave')),
  user_id INTEGER REFERENCES users(id),
  address TEXT NOT NULL,
  list_id INTEGER REFERENCES lists(id),
  detail TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;

-- Posts waiting for a moderator, from the web or by mail. `raw` is zstd. One per list and
-- Message-ID, so an MTA's retry holds nothing twice.
CREATE TABLE held_messages (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES lists(id),
  user_id INTEGER REFERENCES users(id),
  sender TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  message_id TEXT NOT NULL,
  raw BLOB NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('web', 'email')),
  received_at INTEGER NOT NULL,
  UNIQUE (list_id, message_id)
);

-- Everything a moderator or the secretariat decides, public: who, what, when, why. The
-- subject and author of a post rejected as spam are not kept.
CREATE TABLE moderation_log (
  id INTEGER PRIMARY KEY,
  forum_id INTEGER NOT NULL REFERENCES forums(id),
  list_id INTEGER REFERENCES lists(id),
  moderator_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL
);
CREATE INDEX moderation_log_forum ON moderation_log(forum_id, id);

-- What the server sends. A list post is sent from the archived message (`message`), made
-- personal per recipient at sending time; a notice (verify, reset, confirm) keeps its bytes.
-- One row per archived post, so storing a post again queues nothing twice.
-- A notice answering a mail (a command's confirmation) carries that mail's Message-ID
-- as dedup_key, so an MTA's retry mails nothing twice.
CREATE TABLE outbound (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('post', 'notice', 'digest')),
  list_id INTEGER REFERENCES lists(id),
  message INTEGER UNIQUE REFERENCES messages(id),
  dedup_key TEXT UNIQUE,
  envelope_from TEXT NOT NULL DEFAULT '',
  raw BLOB,
  created_at INTEGER NOT NULL
);

-- One row per recipient of an outbound message. A sender claims due rows by pushing
-- next_attempt_at past its lease, so a crashed sender's rows come back by themselves.
CREATE TABLE deliveries (
  outbound_id INTEGER NOT NULL REFERENCES outbound(id),
  address TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  done_at INTEGER,
  PRIMARY KEY (outbound_id, address)
) WITHOUT ROWID;
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 'queued';

-- Bounces by VERP: after repeated bounces a subscription is disabled, not deleted.
ALTER TABLE subscriptions ADD COLUMN bounces INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN disabled_at INTEGER;
ALTER TABLE subscriptions ADD COLUMN digest_format TEXT NOT NULL DEFAULT 'mime'
  CHECK (digest_format IN ('mime', 'plain'));
-- Digests: the last message a digest carried, when it went, and its volume and issue.
ALTER TABLE lists ADD COLUMN digest_last_message INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lists ADD COLUMN digest_sent_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lists ADD COLUMN digest_volume INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lists ADD COLUMN digest_number INTEGER NOT NULL DEFAULT 0;
