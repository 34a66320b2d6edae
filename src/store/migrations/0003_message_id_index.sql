-- Permalinks and `roundtable thread` find a message by its Message-ID in any list.
CREATE INDEX messages_mid ON messages(message_id);
