-- Change notifications go to a channel of the schema's own, 'roundtable_archive:<schema>':
-- channels are shared by the whole database, and archives kept in other schemas of it
-- (another forum, a test run) made every node drop its page caches for their writes too.
-- Upgrade every node together: an older node listens on the old channel.
CREATE OR REPLACE FUNCTION archive_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('roundtable_archive:' || current_schema(), nextval('archive_version_seq')::text);
  RETURN NULL;
END
$$;
