-- PostgreSQL twin of ../0010_threads_rooted_in_reply.sql.
CREATE INDEX threads_rooted_in_reply ON threads(list_id, base_subject, first_date) WHERE rooted_in_reply = 1;
