#pragma once
// The "roundtable" FTS5 tokenizer.
//
// Documents arrive already normalised by the importer's workers (TermNormalizer, in the
// message's own language) as space-separated terms, so the single writer thread only
// splits on spaces. Queries are normalised here, each word under every supported
// stemmer, emitted as colocated alternatives: a French stem finds French messages and
// an English stem English ones, from one query.

struct sqlite3;

namespace rt {

/// Registers the tokenizer on a connection; must precede any use of a table declared
/// with tokenize='roundtable'. Returns an SQLite error code (SQLITE_OK on success).
int RegisterFtsTokenizer(sqlite3* db);

}  // namespace rt
