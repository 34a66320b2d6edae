// The zstd dictionaries an archive's frames are compressed with (util/compression.h):
// stored once, read back when a frame first names one.

#include <ctime>

#include "store/sql_store.h"

namespace rt {

Status SqlStore::ReloadDictionaries() {
  CompressionDictionaries stored;
  Scoped q(Sql("SELECT data FROM compression_dictionaries ORDER BY created_at, id"));
  while (q->Step()) {
    Result<std::shared_ptr<const CompressionDictionary>> dictionary =
        CompressionDictionary::FromBytes(std::string(q->Blob(0)));
    if (!dictionary.ok()) return dictionary.status().WithContext(name_ + ": reading compression dictionaries");
    stored.Add(std::move(dictionary.value()));
  }
  if (!q->status().ok()) return q->status().WithContext(name_ + ": reading compression dictionaries");
  dictionaries_ = std::move(stored);
  return Status::Ok();
}

Result<std::shared_ptr<const CompressionDictionary>> SqlStore::NewestDictionary() {
  Status s = ReloadDictionaries();
  if (!s.ok()) return s;
  return dictionaries_.newest();
}

Status SqlStore::AddDictionary(const CompressionDictionary& dictionary) {
  return InTransaction(TransactionKind::kArchiveWrite, "storing a compression dictionary", [&] {
    return Sql("INSERT INTO compression_dictionaries (id, data, created_at) VALUES (?1, ?2, ?3)")
        .Bind(1, std::int64_t{dictionary.id()})
        .BindBlob(2, dictionary.bytes())
        .Bind(3, static_cast<std::int64_t>(time(nullptr)))
        .Run();
  });
}

Result<std::string> SqlStore::Unpack(std::string_view frame) {
  std::uint32_t id = FrameDictionaryId(frame);
  // A dictionary is committed before any frame made with it, so one that a reload did
  // not find is not coming: reading the table again for every such frame would only
  // slow pages of a damaged archive down.
  if (id != 0 && !dictionaries_.Find(id) && !missing_dictionaries_.count(id)) {
    Status s = ReloadDictionaries();
    if (!s.ok()) return s;
    if (!dictionaries_.Find(id)) missing_dictionaries_.insert(id);
  }
  return dictionaries_.Decompress(frame);
}

}  // namespace rt
