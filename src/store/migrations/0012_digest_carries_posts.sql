-- A digest carries the posts that went out to the list (each has an outbound row of kind
-- 'post'), never messages imported from an archive: before this, a list's first digest
-- after an import carried its whole history. This index finds a list's posts past the
-- digest's mark.
CREATE INDEX outbound_list_posts ON outbound(list_id, message) WHERE kind = 'post';
