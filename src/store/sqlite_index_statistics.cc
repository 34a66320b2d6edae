#include "store/sqlite_index_statistics.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>

namespace rt {

namespace {

// A remembered frequency serves until the archive has this much more (a fraction).
constexpr double kFrequencyDrift = 0.05;
// Remembered frequencies at most; past it the memory starts again empty.
constexpr std::size_t kMaxFrequencies = 20000;

// FTS5's `sz` blob: one SQLite varint per column.
std::uint32_t SumOfVarints(std::string_view bytes) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    std::uint32_t value = 0;
    while (i < bytes.size()) {
      auto b = static_cast<unsigned char>(bytes[i++]);
      value = (value << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    sum += value;
  }
  return sum;
}

}  // namespace

std::shared_ptr<SqliteIndexStatistics> SqliteIndexStatistics::ForDatabase(const std::string& path) {
  struct stat file {};
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
  if (path.empty() || path.starts_with(":") || path.starts_with("file:") || ec || stat(path.c_str(), &file) != 0)
    return std::make_shared<SqliteIndexStatistics>();
  // The file's identity too: a database deleted and made again at the same path is new.
  std::string key = canonical.string() + '\n' + std::to_string(file.st_dev) + ':' + std::to_string(file.st_ino);
  static std::mutex registry_mutex;
  static std::map<std::string, std::weak_ptr<SqliteIndexStatistics>> registry;
  std::lock_guard lock(registry_mutex);
  std::erase_if(registry, [](const auto& entry) { return entry.second.expired(); });
  std::shared_ptr<SqliteIndexStatistics> statistics = registry[key].lock();
  if (!statistics) {
    statistics = std::make_shared<SqliteIndexStatistics>();
    registry[key] = statistics;
  }
  return statistics;
}

Result<std::shared_ptr<const SqliteIndexStatistics::Lengths>> SqliteIndexStatistics::DocumentLengths(
    SqlConnection& db, std::int64_t archive_version) {
  std::lock_guard lock(mutex_);
  if (synced_version_ && archive_version <= *synced_version_) return lengths_;
  // Everything is read again after a rebuild (Store::RebuildSearchIndex), or when the
  // index holds fewer messages than already seen (not the archive these lengths came from).
  std::string rebuilt;
  {
    std::unique_ptr<SqlStatement> mark = db.Prepare("SELECT value FROM settings WHERE name = 'search_index_rebuilt'");
    if (mark->Step()) rebuilt = std::string(mark->Blob(0));
    if (!mark->status().ok()) return mark->status();
  }
  std::int64_t newest = -1;
  {
    std::unique_ptr<SqlStatement> max = db.Prepare("SELECT max(id) FROM message_index_docsize");
    if (max->Step() && !max->IsNull(0)) newest = max->Int(0);
    if (!max->status().ok()) return max->status();
  }
  bool start_again = rebuilt != rebuilt_ || newest + 1 < static_cast<std::int64_t>(lengths_->size());
  const std::int64_t known = start_again ? 0 : static_cast<std::int64_t>(lengths_->size());

  // Edits first: an edit committed after this read is taken at the next look, and every
  // one before it is in the sizes read below.
  std::vector<std::int64_t> edited;
  std::int64_t last_edit = last_edit_;
  {
    std::unique_ptr<SqlStatement> edits = db.Prepare("SELECT id, message FROM message_edits WHERE id > ?1 ORDER BY id");
    edits->Bind(1, last_edit_);
    while (edits->Step()) {
      last_edit = edits->Int(0);
      if (edits->Int(1) < known) edited.push_back(edits->Int(1));  // newer ones are read whole below
    }
    if (!edits->status().ok()) return edits->status();
  }
  std::vector<std::pair<std::int64_t, std::uint32_t>> updates;
  {
    std::unique_ptr<SqlStatement> added = db.Prepare("SELECT id, sz FROM message_index_docsize WHERE id >= ?1 ORDER BY id");
    added->Bind(1, known);
    while (added->Step()) updates.emplace_back(added->Int(0), SumOfVarints(added->Blob(1)));
    if (!added->status().ok()) return added->status();
  }
  for (std::int64_t id : edited) {
    SqlStatement& size = db.Sql("SELECT sz FROM message_index_docsize WHERE id = ?1");
    if (size.Bind(1, id).Step()) updates.emplace_back(id, SumOfVarints(size.Blob(0)));
    Status s = size.status();
    size.Reset();
    if (!s.ok()) return s;
  }

  // Snapshots handed out never change: a change makes a new one.
  if (start_again || !updates.empty()) {
    auto next = start_again ? std::make_shared<Lengths>() : std::make_shared<Lengths>(*lengths_);
    for (const auto& [id, length] : updates) {
      if (id < 0) continue;
      if (static_cast<std::size_t>(id) >= next->size()) next->resize(static_cast<std::size_t>(id) + 1);
      (*next)[static_cast<std::size_t>(id)] = length;
    }
    lengths_ = std::move(next);
  }
  if (start_again) frequencies_.clear();
  last_edit_ = last_edit;
  rebuilt_ = std::move(rebuilt);
  synced_version_ = archive_version;
  return lengths_;
}

std::optional<double> SqliteIndexStatistics::DocumentFrequency(const std::string& term, std::int64_t max_id) {
  std::lock_guard lock(mutex_);
  auto it = frequencies_.find(term);
  if (it == frequencies_.end()) return std::nullopt;
  const Frequency& f = it->second;
  if (max_id < f.max_id || static_cast<double>(max_id - f.max_id) > kFrequencyDrift * static_cast<double>(f.max_id))
    return std::nullopt;
  return f.value;
}

void SqliteIndexStatistics::RememberDocumentFrequency(const std::string& term, std::int64_t max_id, double frequency) {
  std::lock_guard lock(mutex_);
  if (frequencies_.size() >= kMaxFrequencies) frequencies_.clear();
  frequencies_[term] = {frequency, max_id};
}

}  // namespace rt
