#include "search/fts_tokenizer.h"

#include <sqlite3.h>

#include <cstring>
#include <string>

#include "search/fts5_api.h"
#include "search/term_normalizer.h"

namespace rt {

namespace {

struct Tokenizer {
  TermNormalizer normalizer;
};

int Create(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new Tokenizer);
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* t) { delete reinterpret_cast<Tokenizer*>(t); }

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

int TokenizeDocument(const char* text, int n, void* ctx, TokenCallback emit) {
  int i = 0;
  while (i < n) {
    while (i < n && text[i] == ' ') ++i;
    int start = i;
    while (i < n && text[i] != ' ') ++i;
    if (i > start) {
      int rc = emit(ctx, 0, text + start, i - start, start, i);
      if (rc != SQLITE_OK) return rc;
    }
  }
  return SQLITE_OK;
}

int TokenizeQuery(Tokenizer* t, const char* text, int n, void* ctx, TokenCallback emit) {
  std::string_view all(text, static_cast<std::size_t>(n));
  for (std::string_view word : SplitWords(all)) {
    int start = static_cast<int>(word.data() - text);
    int end = start + static_cast<int>(word.size());
    bool first = true;
    for (const std::string& term : t->normalizer.QueryTerms(word)) {
      int rc = emit(ctx, first ? 0 : FTS5_TOKEN_COLOCATED, term.data(), static_cast<int>(term.size()), start, end);
      if (rc != SQLITE_OK) return rc;
      first = false;
    }
  }
  return SQLITE_OK;
}

int Tokenize(Fts5Tokenizer* tokenizer, void* ctx, int flags, const char* text, int n, TokenCallback emit) {
  if (flags & FTS5_TOKENIZE_QUERY) return TokenizeQuery(reinterpret_cast<Tokenizer*>(tokenizer), text, n, ctx, emit);
  return TokenizeDocument(text, n, ctx, emit);
}

}  // namespace

int RegisterFtsTokenizer(sqlite3* db) {
  fts5_api* api = GetFts5Api(db);
  if (!api) return SQLITE_ERROR;
  static fts5_tokenizer methods = {Create, Delete, Tokenize};
  return api->xCreateTokenizer(api, "roundtable", nullptr, &methods, nullptr);
}

}  // namespace rt
