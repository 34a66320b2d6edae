-- Lookups by Message-ID go through the unique (list_id, dedup_key) index, whose key of
-- the first message with an id is "<id>" (SqlStore IdKey): messages_list_mid held nearly
-- the same strings a second time, and every import wrote to both.
DROP INDEX messages_list_mid;
