-- Participation: accounts, their roles, list settings and subscriptions.

-- One account per verified address. password_hash is libsodium's argon2id string ('' until
-- one is set). stakeholder_group is declared by the participant; group_verified is set by
-- the secretariat (e.g. a government delegate). country is ISO 3166-1 alpha-2.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  stakeholder_group TEXT NOT NULL DEFAULT 'unknown',
  group_verified INTEGER NOT NULL DEFAULT 0,
  country TEXT NOT NULL DEFAULT '',
  affiliation TEXT NOT NULL DEFAULT '',
  languages TEXT NOT NULL DEFAULT '',
  email_verified_at INTEGER,
  created_at INTEGER NOT NULL,
  person_id INTEGER REFERENCES people(id)
);

-- Beyond participant (everyone): moderator of one list, or secretariat of a whole forum
-- (list_id NULL).
CREATE TABLE roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  forum_id INTEGER NOT NULL REFERENCES forums(id),
  list_id INTEGER REFERENCES lists(id),
  role TEXT NOT NULL CHECK (role IN ('moderator', 'secretariat'))
);
CREATE UNIQUE INDEX roles_unique ON roles(user_id, forum_id, COALESCE(list_id, 0), role);

ALTER TABLE lists ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE lists ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE lists ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0;

-- Who gets a list's mail, and how: each message, a daily digest, or none (web only).
CREATE TABLE subscriptions (
  list_id INTEGER NOT NULL REFERENCES lists(id),
  address TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('each', 'digest', 'none')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, address)
) WITHOUT ROWID;
