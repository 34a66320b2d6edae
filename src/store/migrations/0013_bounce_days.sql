-- Bounces are scored as Mailman 3 scores them: at most one counts a day, and a
-- subscription's count starts over after a week without one. This is when the last
-- counted bounce came.
ALTER TABLE subscriptions ADD COLUMN last_bounce_at INTEGER;
