-- The few threads a reply without references started, by subject: a new original looks
-- for one to become its root (SqlStore::PlaceInThread). Through threads_subject it read
-- every thread of that subject, and subjects recur ("Agenda", monthly reports): 18 us a
-- message on the bench corpus, where one subject has 256 threads.
CREATE INDEX threads_rooted_in_reply ON threads(list_id, base_subject, first_date) WHERE rooted_in_reply = 1;
