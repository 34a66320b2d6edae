#pragma once
// rt_bm25: BM25 for the message index without FTS5's per-query IDF scan.
//
// FTS5's built-in bm25() learns each phrase's document frequency by walking the
// phrase's whole doclist on first use: ~70 ms for a common word in a million messages,
// before a single row is ranked. rt_bm25 takes the frequencies as arguments instead, so
// the caller can estimate them cheaply (EstimateDocumentFrequency) and ranking costs
// only the rows ranked.
//
//   rt_bm25(message_index, subject_weight, body_weight, df_0, df_1, ...)
//
// df_i is the number of documents matching the query's i-th phrase (phrases numbered as
// they appear in the MATCH expression); a missing df counts as 1. The result is the
// negated BM25 score (k1 = 1.2, b = 0.75), like bm25(), so ORDER BY ascending.

#include <cstdint>
#include <memory>
#include <vector>

struct sqlite3;

namespace rt {

/// What the caller knows beyond the index. Read by rt_bm25 when a query starts, on the
/// connection's thread.
struct RankContext {
  /// Tokens per document by rowid, 0 where unknown: FTS5 would otherwise look each
  /// ranked row's length up in its docsize table, a nested statement per row.
  std::shared_ptr<const std::vector<std::uint32_t>> lengths;
};

/// Registers rt_bm25 on a connection; an SQLite result code. `context` (may be null)
/// must outlive the connection.
int RegisterRankFunction(sqlite3* db, const RankContext* context);

}  // namespace rt
