#include "store/db_copy.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

#include "archive/message_processor.h"
#include "store/sql_store.h"
#include "util/compression.h"

namespace rt {

namespace {

// Tables referenced by others come first, so each row's references already exist.
constexpr const char* kParentsFirst[] = {"forums", "lists", "people", "addresses", "users", "threads",
                                         "messages", "attachment_blobs", "outbound"};

// Bookkeeping each database keeps for itself, and the search index, which is rebuilt:
// FTS5's contentless index cannot be read back.
bool Copied(const std::string& table) {
  return table != "schema_migrations" && table != "archive_version" && table.rfind("message_index", 0) != 0 &&
         table.rfind("sqlite_", 0) != 0;
}

Result<std::vector<std::string>> Tables(SqlConnection& db) {
  std::unique_ptr<SqlStatement> q = db.Prepare(
      db.dialect() == SqlDialect::kSqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE'");
  std::vector<std::string> rest;
  while (q->Step())
    if (Copied(q->Text(0))) rest.push_back(q->Text(0));
  if (!q->status().ok()) return q->status();
  std::sort(rest.begin(), rest.end());
  std::vector<std::string> ordered;
  for (const char* parent : kParentsFirst) {
    auto it = std::find(rest.begin(), rest.end(), parent);
    if (it == rest.end()) continue;
    ordered.push_back(*it);
    rest.erase(it);
  }
  ordered.insert(ordered.end(), rest.begin(), rest.end());
  return ordered;
}

// A row's value, the same whichever backend it was read from: type, then value.
std::uint64_t RowHash(SqlStatement& row) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, sizeof(std::uint64_t));
  auto add = [&](std::string_view bytes) {
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  };
  for (int c = 0; c < row.ColumnCount(); ++c) {
    switch (row.Type(c)) {
      case SqlType::kNull:
        add("N;");
        break;
      case SqlType::kInteger:
        add("I" + std::to_string(row.Int(c)) + ";");
        break;
      case SqlType::kFloat: {
        char text[40];
        std::snprintf(text, sizeof text, "F%.17g;", row.Double(c));
        add(text);
        break;
      }
      case SqlType::kText:
      case SqlType::kBlob: {  // a column's text and bytes compare as bytes
        std::string_view bytes = row.Blob(c);
        add("B" + std::to_string(bytes.size()) + ":");
        add(bytes);
        break;
      }
    }
  }
  std::uint64_t hash = 0;
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(&hash), sizeof hash);
  return hash;
}

void Bind(SqlStatement& insert, int pos, SqlStatement& row, int col) {
  switch (row.Type(col)) {
    case SqlType::kNull: insert.BindNull(pos); break;
    case SqlType::kInteger: insert.Bind(pos, row.Int(col)); break;
    case SqlType::kFloat: insert.BindDouble(pos, row.Double(col)); break;
    case SqlType::kText: insert.Bind(pos, row.Text(col)); break;
    case SqlType::kBlob: insert.BindBlob(pos, row.Blob(col)); break;
  }
}

// Calls `visit` with each row of `table`. PostgreSQL hands a query's result over whole,
// so its rows come through a cursor, a thousand at a time (inside the caller's
// transaction): memory stays flat whatever the table.
Status ForEachRow(SqlConnection& db, const std::string& table, const std::function<Status(SqlStatement&)>& visit) {
  bool cursor = db.dialect() == SqlDialect::kPostgres;
  if (cursor) {
    Status s = db.Exec("DECLARE rt_copy NO SCROLL CURSOR FOR SELECT * FROM " + table, "reading " + table);
    if (!s.ok()) return s;
  }
  std::unique_ptr<SqlStatement> rows = db.Prepare(cursor ? "FETCH 1000 FROM rt_copy" : "SELECT * FROM " + table);
  for (;;) {
    int fetched = 0;
    while (rows->Step()) {
      ++fetched;
      Status s = visit(*rows);
      if (!s.ok()) return s;
    }
    if (!rows->status().ok()) return rows->status();
    if (!cursor) return Status::Ok();
    rows->Reset();
    if (fetched == 0) return db.Exec("CLOSE rt_copy", "reading " + table);
  }
}

// The rows of `table` on `db`: count and checksum.
Result<TableCopy> Summarise(SqlConnection& db, const std::string& table) {
  TableCopy summary{table, 0, 0};
  Status s = ForEachRow(db, table, [&](SqlStatement& row) {
    ++summary.rows;
    summary.checksum += RowHash(row);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return summary;
}

// Rows copied with their ids leave an identity column's sequence behind, and the next
// insert would collide: it moves past the largest id.
Status MoveIdentityPast(SqlConnection& db, const std::string& table) {
  std::unique_ptr<SqlStatement> identity =
      db.Prepare("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                 " AND table_name = ?1 AND column_name = 'id' AND is_identity = 'YES'");
  identity->Bind(1, table);
  if (!identity->Step()) return identity->status();
  return db.Exec("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), max(id)) FROM " + table +
                     " HAVING max(id) IS NOT NULL",
                 "moving the ids of " + table);
}

// The columns of a messages row the search index is made from.
struct IndexedColumns {
  int id = -1, subject = -1, body_text = -1;
};

}  // namespace

Result<std::vector<TableCopy>> CopyDatabase(const std::string& from, const std::string& to,
                                            const CopyProgress& progress) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not start");
  Result<std::unique_ptr<Store>> source_store = Store::Open(from);
  if (!source_store.ok()) return source_store.status();
  Result<std::unique_ptr<Store>> target_store = Store::Open(to);
  if (!target_store.ok()) return target_store.status();
  auto* source = static_cast<SqlStore*>(source_store.value().get());
  auto* target = static_cast<SqlStore*>(target_store.value().get());
  SqlConnection& in = *source->db_;
  SqlConnection& out = *target->db_;

  Result<std::vector<std::string>> tables = Tables(in);
  if (!tables.ok()) return tables.status();
  // One snapshot of the source, however servers and imports write to it meanwhile.
  Status s = in.Exec(in.dialect() == SqlDialect::kSqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ",
                     "reading " + source->name_);
  if (!s.ok()) return s;
  std::vector<TableCopy> copied;
  MessageProcessor processor;
  s = target->InTransaction(TransactionKind::kArchiveWrite, "copying", [&]() -> Status {
    for (const std::string& table : tables.value()) {
      Result<TableCopy> before = Summarise(out, table);
      if (!before.ok()) return before.status().WithContext(to + ": " + table);
      if (before.value().rows > 0)
        return Status::InvalidArgument(to + " is not empty (" + table + " has rows): copy into a new database");
      TableCopy copy{table, 0, 0};
      std::unique_ptr<SqlStatement> insert;
      IndexedColumns indexed;
      Status rows = ForEachRow(in, table, [&](SqlStatement& row) -> Status {
        if (!insert) {
          std::string columns, values;
          for (int c = 0; c < row.ColumnCount(); ++c) {
            std::string name = row.ColumnName(c);
            columns += (c ? ", " : "") + name;
            values += (c ? ", ?" : "?") + std::to_string(c + 1);
            if (table == "messages") {
              if (name == "id") indexed.id = c;
              if (name == "subject") indexed.subject = c;
              if (name == "body_text") indexed.body_text = c;
            }
          }
          insert = out.Prepare("INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")");
        }
        for (int c = 0; c < row.ColumnCount(); ++c) Bind(*insert, c + 1, row, c);
        Status inserted = insert->Run();
        if (!inserted.ok()) return inserted.WithContext("copying " + table);
        copy.checksum += RowHash(row);
        if (++copy.rows % 10000 == 0 && progress) progress(table, copy.rows);
        if (indexed.body_text < 0) return Status::Ok();
        // The search index, from the stored subject and text, as the import made it.
        Result<std::string> body = source->Unpack(row.Blob(indexed.body_text));
        if (!body.ok()) return body.status().WithContext("message " + std::to_string(row.Int(indexed.id)));
        ParsedMessage m;
        m.subject = row.Text(indexed.subject);
        m.body_text = std::move(body.value());
        processor.Analyze(&m);
        return target->IndexMessage(row.Int(indexed.id), m.subject_terms, m.body_terms);
      });
      if (!rows.ok()) return rows;
      Result<TableCopy> after = Summarise(out, table);
      if (!after.ok()) return after.status();
      if (after.value().rows != copy.rows || after.value().checksum != copy.checksum)
        return Status::Database("the copy of " + table + " differs from the original (" +
                                std::to_string(after.value().rows) + " rows against " + std::to_string(copy.rows) +
                                "): nothing was kept");
      if (out.dialect() == SqlDialect::kPostgres) {
        Status moved = MoveIdentityPast(out, table);
        if (!moved.ok()) return moved;
      }
      if (progress) progress(table, copy.rows);
      copied.push_back(copy);
    }
    return Status::Ok();
  });
  in.Rollback();
  if (!s.ok()) return s;
  return copied;
}

}  // namespace rt
