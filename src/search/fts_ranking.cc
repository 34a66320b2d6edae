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

// Per query, computed on the first row and kept as FTS5 auxiliary data.
struct QueryStats {
  double average_length = 1;
  std::vector<double> idf;
  std::vector<double> frequency;  // scratch, per phrase
  std::shared_ptr<const std::vector<std::uint32_t>> lengths;  // RankContext's, for the whole query
};

QueryStats* Stats(const Fts5ExtensionApi* api, Fts5Context* fts, int argc, sqlite3_value** argv) {
  auto* stats = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0));
  if (stats) return stats;
  stats = new QueryStats;
  if (auto* context = static_cast<const RankContext*>(api->xUserData(fts))) stats->lengths = context->lengths;
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

// Tokens in the current row, all columns: from the caller's table when it has the row,
// else from FTS5, which runs a nested statement for it.
int DocumentLength(const Fts5ExtensionApi* api, Fts5Context* fts, const QueryStats& stats) {
  sqlite3_int64 rowid = api->xRowid(fts);
  if (stats.lengths && rowid >= 0 && static_cast<std::size_t>(rowid) < stats.lengths->size()) {
    std::uint32_t length = (*stats.lengths)[static_cast<std::size_t>(rowid)];
    if (length > 0) return static_cast<int>(length);
  }
  int length = 0;
  api->xColumnSize(fts, -1, &length);
  return length;
}

void Bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc, sqlite3_value** argv) {
  QueryStats* stats = Stats(api, fts, argc, argv);
  double weights[2] = {argc > 0 ? sqlite3_value_double(argv[0]) : 1.0, argc > 1 ? sqlite3_value_double(argv[1]) : 1.0};
  // Phrase by phrase: xInstCount would first gather every phrase's hits into one array.
  for (std::size_t p = 0; p < stats->frequency.size(); ++p) {
    Fts5PhraseIter hits;
    int column = -1, offset = 0;
    double f = 0;
    if (api->xPhraseFirst(fts, static_cast<int>(p), &hits, &column, &offset) != SQLITE_OK) {
      sqlite3_result_error(result, "rt_bm25: cannot read matches", -1);
      return;
    }
    for (; column >= 0; api->xPhraseNext(fts, &hits, &column, &offset)) f += weights[column == 0 ? 0 : 1];
    stats->frequency[p] = f;
  }
  int length = DocumentLength(api, fts, *stats);
  double norm = kK1 * (1 - kB + kB * static_cast<double>(length) / stats->average_length);
  double score = 0;
  for (std::size_t i = 0; i < stats->frequency.size(); ++i) {
    double f = stats->frequency[i];
    score += stats->idf[i] * f * (kK1 + 1) / (f + norm);
  }
  sqlite3_result_double(result, -score);
}

}  // namespace

int RegisterRankFunction(sqlite3* db, const RankContext* context) {
  fts5_api* api = GetFts5Api(db);
  if (!api) return SQLITE_ERROR;
  return api->xCreateFunction(api, "rt_bm25", const_cast<RankContext*>(context), Bm25, nullptr);
}

}  // namespace rt
