#include "search/fts_ranking.h"

#include <sqlite3.h>


#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "search/fts5_api.h"

namespace rt {

namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr int kFirstDfArg = 2;
constexpr const char* kDocsizeTable = "message_index_docsize";

// Per query, computed on the first row and kept as FTS5 auxiliary data.
struct QueryStats {
  double average_length = 1;
  std::vector<double> idf;
  std::vector<double> frequency;  // scratch, per phrase
  // The index's per-document sizes, read directly: FTS5's xColumnSize runs a whole
  // nested statement (step, halt, reset) for every ranked row.
  sqlite3_blob* sizes = nullptr;
  ~QueryStats() {
    if (sizes) sqlite3_blob_close(sizes);
  }
};

QueryStats* Stats(const Fts5ExtensionApi* api, Fts5Context* fts, int argc, sqlite3_value** argv) {
  auto* stats = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0));
  if (stats) return stats;
  stats = new QueryStats;
  sqlite3_int64 rows = 0, tokens = 0;
  api->xRowCount(fts, &rows);
  api->xColumnTotalSize(fts, -1, &tokens);
  if (rows > 0) stats->average_length = std::max(1.0, static_cast<double>(tokens) / static_cast<double>(rows));
  int phrases = api->xPhraseCount(fts);
  stats->idf.resize(static_cast<std::size_t>(phrases));
  stats->frequency.resize(static_cast<std::size_t>(phrases));
  for (int i = 0; i < phrases; ++i) {
    double df = kFirstDfArg + i < argc ? std::max(1.0, sqlite3_value_double(argv[kFirstDfArg + i])) : 1.0;
    double n = static_cast<double>(rows);
    // As in FTS5's bm25: a term in more than half the documents still counts a little.
    stats->idf[static_cast<std::size_t>(i)] = std::max(1e-6, std::log((n - df + 0.5) / (df + 0.5)));
  }
  api->xSetAuxdata(fts, stats, [](void* p) { delete static_cast<QueryStats*>(p); });
  return stats;
}

// Tokens in the current row, all columns: the `sz` blob of FTS5's `<table>_docsize` holds
// one SQLite varint per column.
int DocumentLength(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3* db, QueryStats* stats) {
  sqlite3_int64 rowid = api->xRowid(fts);
  int rc = stats->sizes ? sqlite3_blob_reopen(stats->sizes, rowid)
                        : sqlite3_blob_open(db, "main", kDocsizeTable, "sz", rowid, 0, &stats->sizes);
  unsigned char bytes[32];
  int n = rc == SQLITE_OK ? std::min(sqlite3_blob_bytes(stats->sizes), static_cast<int>(sizeof bytes)) : 0;
  if (rc != SQLITE_OK || sqlite3_blob_read(stats->sizes, bytes, n, 0) != SQLITE_OK) {
    if (stats->sizes) sqlite3_blob_close(stats->sizes);
    stats->sizes = nullptr;
    int length = 0;
    api->xColumnSize(fts, -1, &length);
    return length;
  }
  int length = 0;
  for (int i = 0; i < n;) {
    std::uint32_t value = 0;
    while (i < n) {
      unsigned char b = bytes[i++];
      value = (value << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    length += static_cast<int>(value);
  }
  return length;
}

void Bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc, sqlite3_value** argv) {
  QueryStats* stats = Stats(api, fts, argc, argv);
  double weights[2] = {argc > 0 ? sqlite3_value_double(argv[0]) : 1.0, argc > 1 ? sqlite3_value_double(argv[1]) : 1.0};
  std::fill(stats->frequency.begin(), stats->frequency.end(), 0.0);
  int instances = 0;
  if (api->xInstCount(fts, &instances) != SQLITE_OK) {
    sqlite3_result_error(result, "rt_bm25: cannot read matches", -1);
    return;
  }
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK) continue;
    if (phrase >= 0 && static_cast<std::size_t>(phrase) < stats->frequency.size())
      stats->frequency[static_cast<std::size_t>(phrase)] += weights[column == 0 ? 0 : 1];
  }
  int length = DocumentLength(api, fts, sqlite3_context_db_handle(result), stats);
  double norm = kK1 * (1 - kB + kB * static_cast<double>(length) / stats->average_length);
  double score = 0;
  for (std::size_t i = 0; i < stats->frequency.size(); ++i) {
    double f = stats->frequency[i];
    score += stats->idf[i] * f * (kK1 + 1) / (f + norm);
  }
  sqlite3_result_double(result, -score);
}

}  // namespace

int RegisterRankFunction(sqlite3* db) {
  fts5_api* api = GetFts5Api(db);
  if (!api) return SQLITE_ERROR;
  return api->xCreateFunction(api, "rt_bm25", nullptr, Bm25, nullptr);
}

}  // namespace rt
