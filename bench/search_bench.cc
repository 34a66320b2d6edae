// Search latency: runs each query of a file against a database, several rounds, and
// prints p50/p95/p99/max of Store::Search (first page of 20, ranked, with snippets).
// Usage: search_bench DB QUERIES_FILE [ROUNDS=5]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "mime/mime_parser.h"
#include "store/store.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DB QUERIES_FILE [ROUNDS]\n", argv[0]);
    return 2;
  }
  int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  std::ifstream file(argv[2]);
  std::vector<std::string> queries;
  for (std::string line; std::getline(file, line);)
    if (!line.empty() && line[0] != '#') queries.push_back(line);
  auto store = rt::Store::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 4;
  }
  std::vector<double> all;
  std::vector<std::pair<double, std::string>> slowest;
  for (int round = 0; round < rounds; ++round) {
    for (const std::string& q : queries) {
      auto parsed = rt::ParseQuery(q);
      if (!parsed.ok()) {
        std::fprintf(stderr, "bad query %s: %s\n", q.c_str(), parsed.status().message().c_str());
        return 2;
      }
      auto start = std::chrono::steady_clock::now();
      auto result = store.value()->Search(parsed.value(), {20, 0, false});
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (!result.ok()) {
        std::fprintf(stderr, "query %s failed: %s\n", q.c_str(), result.status().message().c_str());
        return 1;
      }
      all.push_back(ms);
      if (round == rounds - 1) slowest.push_back({ms, q + " (" + std::to_string(result.value().hits.size()) + " hits)"});
    }
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all[std::min(all.size() - 1, static_cast<std::size_t>(p * static_cast<double>(all.size())))]; };
  std::printf("search: %zu queries x %d rounds: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n", queries.size(),
              rounds, pct(0.50), pct(0.95), pct(0.99), all.back());
  std::sort(slowest.rbegin(), slowest.rend());
  for (std::size_t i = 0; i < std::min<std::size_t>(5, slowest.size()); ++i)
    std::printf("  slowest: %.2f ms  %s\n", slowest[i].first, slowest[i].second.c_str());
  return 0;
}
