#pragma once
// The FTS5 extension API of a connection, through which custom tokenizers and
// ranking functions are registered.

struct sqlite3;
struct fts5_api;

namespace rt {

/// nullptr when the SQLite library has no FTS5.
fts5_api* GetFts5Api(sqlite3* db);

}  // namespace rt
