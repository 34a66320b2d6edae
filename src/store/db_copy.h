#pragma once
// `roundtable db copy`: moves a whole database to another backend (SQLite to PostgreSQL,
// typically) and proves the copy: every table's row count and a checksum of its rows
// must agree on both sides.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace rt {

struct TableCopy {
  std::string table;
  std::int64_t rows = 0;
  std::uint64_t checksum = 0;  ///< order-independent: the sum of each row's BLAKE2b
};

/// Called after each table with what it copied, and every 10,000 rows within one.
using CopyProgress = std::function<void(std::string_view table, std::int64_t rows)>;

/// Copies every row of `from` into `to`, which must hold no messages, people or accounts
/// yet (both are migrated to the same schema first), and builds `to`'s search index from
/// the stored texts. One transaction on `to`: an interrupted copy leaves it as it
/// was, and running it again starts over. InvalidArgument when `to` is not empty;
/// Database when a table's count or checksum differs after the copy (nothing is kept).
Result<std::vector<TableCopy>> CopyDatabase(const std::string& from, const std::string& to,
                                            const CopyProgress& progress);

}  // namespace rt
