-- What rate limits count: posts per account or address (the post rules), sign-in and
-- password-reset attempts per address. In the database rather than in each server's
-- memory, so a limit holds across the web and mail, and across every server node.
CREATE TABLE rate_events (
  event_key TEXT NOT NULL,  -- e.g. "user:ID", "address:ADDRESS", "signin:ADDRESS"
  at INTEGER NOT NULL
);
CREATE INDEX rate_events_key ON rate_events (event_key, at);
