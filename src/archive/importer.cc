#include "archive/importer.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "archive/input_format.h"
#include "archive/message_processor.h"
#include "archive/message_source.h"
#include "util/bounded_queue.h"
#include "util/byte_budget.h"

namespace rt {

namespace {

namespace fs = std::filesystem;

struct Input {
  std::string path;
  InputFormat format;
};

void Expand(const std::string& path, bool explicit_path, std::vector<Input>* inputs, ImportReport* report) {
  Result<InputFormat> format = DetectInputFormat(path, explicit_path);
  if (!format.ok()) {
    (explicit_path ? report->input_errors : report->skipped).push_back(format.status().message());
    return;
  }
  if (format.value() != InputFormat::kDirectory) {
    inputs->push_back({path, format.value()});
    return;
  }
  std::vector<std::string> entries;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    // Symlinked folders are not followed: a link to a parent would walk forever.
    if (it->is_symlink(ec) && it->is_directory(ec)) continue;
    if (!name.empty() && name[0] != '.') entries.push_back(it->path().string());
  }
  if (ec) report->input_errors.push_back(path + ": " + ec.message());
  std::sort(entries.begin(), entries.end());
  for (const std::string& entry : entries) Expand(entry, false, inputs, report);
}

// A database's first import of at least this many messages, or of messages long enough
// to give this many sample bytes, trains on its first ones the compression dictionary
// the rest of it and every later import use (util/compression.h). Two thousand messages
// train in about 0.1 s, on the reader thread while the workers go on; more gain little.
// zstd suggests a hundred times the dictionary's size in samples: 11 MB.
constexpr std::size_t kDictionarySamples = 2000;
constexpr std::size_t kDictionarySampleBytes = 12 << 20;

// The single writer sets the pace; with two workers beside it on two cores, an equal
// share left it preempted for 2 of its 9 s (perf sched). Workers yield to it, and to a
// server on the same machine.
constexpr int kWorkerNice = 10;

struct Batch {
  std::vector<RawMessage> raw;
  std::size_t held_bytes = 0;  // of `raw`, as counted in the ByteBudget
  std::shared_ptr<const CompressionDictionary> dictionary;  // what the workers compress with
  std::promise<std::vector<ImportItem>> done;
};

// A batch as the writer waits for it, in reading order.
struct PendingBatch {
  std::shared_ptr<const CompressionDictionary> dictionary;
  std::future<std::vector<ImportItem>> items;
};

// The writer reads an item's compressed forms, hashes and sizes; the raw bytes and plain
// texts would only wait with it in the batches queued for the writer (8 KB a message
// on the bench corpus, a third of what a batch holds).
void ReleaseWhatTheWriterSkips(ImportItem* item) {
  std::string().swap(item->raw.bytes);
  if (!item->parsed) return;
  std::string().swap(item->parsed->body_text);
  std::string().swap(item->parsed->body_html);
}

// What a message holds in memory: string capacities, which doubling growth can make twice
// the sizes. Only the large parts; a few short fields are left out.
std::size_t HeldBytes(const RawMessage& raw) { return raw.bytes.capacity(); }

std::size_t HeldBytes(const ImportItem& item) {
  std::size_t n = item.raw.bytes.capacity() + item.compressed_raw.capacity();
  if (!item.parsed) return n;
  const ParsedMessage& m = *item.parsed;
  n += m.body_text.capacity() + m.body_html.capacity() + m.body_terms.capacity() + m.body_text_z.capacity() +
       m.body_html_z.capacity() + m.structure.capacity();
  for (const ParsedAttachment& a : m.attachments) n += a.data.capacity() + a.compressed.capacity();
  return n;
}

std::size_t HeldBytes(const std::vector<ImportItem>& items) {
  std::size_t n = 0;
  for (const ImportItem& item : items) n += HeldBytes(item);
  return n;
}

}  // namespace

Status Import(Store& store, const std::vector<std::string>& paths, const ImportOptions& options,
              ImportReport* report) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Input> inputs;
  for (const std::string& path : paths) Expand(path, true, &inputs, report);

  std::uint64_t bytes_total = 0;
  for (const Input& in : inputs) {
    std::error_code ec;
    if (fs::is_regular_file(in.path, ec)) bytes_total += fs::file_size(in.path, ec);
    else if (in.format == InputFormat::kMaildir)
      for (auto& e : fs::recursive_directory_iterator(in.path, ec))
        if (e.is_regular_file(ec)) bytes_total += e.file_size(ec);
  }

  Result<std::shared_ptr<const CompressionDictionary>> newest_dictionary = store.NewestDictionary();
  if (!newest_dictionary.ok()) return newest_dictionary.status();
  std::shared_ptr<const CompressionDictionary> stored_dictionary = newest_dictionary.value();

  unsigned workers = options.workers ? options.workers : std::max(1u, std::thread::hardware_concurrency());
  // Work and results are both bounded: memory stays flat whatever the archive's size.
  // With two workers, at most three batches wait for the writer besides the one it
  // writes (four let peak memory reach 283 MB at a million messages; three, 245 MB).
  BoundedQueue<std::shared_ptr<Batch>> work(workers + 1);
  BoundedQueue<PendingBatch> ordered(workers + 1);
  // The queues count batches; this counts bytes, raw and processed, from reading to
  // written, so that messages whose index terms and compressed forms outweigh their raw
  // bytes (long texts of many distinct words) cannot hold several times the batch cap.
  ByteBudget held(options.held_bytes);
  std::atomic<std::uint64_t> messages_read{0}, bytes_done{0};
  std::atomic<bool> stop{false};
  std::vector<std::string> read_errors;

  std::thread reader([&] {
    std::uint64_t finished_bytes = 0;
    auto batch = std::make_shared<Batch>();
    std::size_t batch_bytes = 0;
    std::shared_ptr<const CompressionDictionary> dictionary = stored_dictionary;
    // Without a dictionary yet, the first messages go without while they are copied
    // aside to train one (only what training reads of each).
    bool gathering = !dictionary;
    auto samples = std::make_unique<DictionarySamples>();
    auto flush = [&] {
      if (batch->raw.empty()) return true;
      for (std::size_t i = 0; gathering && i < batch->raw.size(); ++i) samples->Add(batch->raw[i].bytes);
      if (gathering && (samples->count() >= kDictionarySamples || samples->bytes() >= kDictionarySampleBytes)) {
        dictionary = CompressionDictionary::Train(*samples);
        gathering = false;
        samples.reset();
      }
      batch->dictionary = dictionary;
      for (const RawMessage& raw : batch->raw) batch->held_bytes += HeldBytes(raw);
      held.Add(batch->held_bytes);
      ordered.Push({dictionary, batch->done.get_future()});
      bool pushed = work.Push(batch);
      batch = std::make_shared<Batch>();
      batch_bytes = 0;
      held.WaitForRoom();
      return pushed;
    };
    for (const Input& in : inputs) {
      if (stop) break;
      Result<std::unique_ptr<MessageSource>> source = OpenMessageSource(in.path, in.format);
      if (!source.ok()) {
        read_errors.push_back(source.status().message());
        continue;
      }
      RawMessage raw;
      while (!stop && source.value()->Next(&raw)) {
        batch->raw.push_back(std::move(raw));
        raw = RawMessage();
        ++messages_read;
        bytes_done = finished_bytes + source.value()->bytes_done();
        batch_bytes += batch->raw.back().bytes.size();
        if ((batch->raw.size() >= options.batch_messages || batch_bytes >= options.batch_bytes) && !flush()) break;
      }
      if (!source.value()->status().ok()) read_errors.push_back(source.value()->status().message());
      finished_bytes += source.value()->bytes_total();
      bytes_done = finished_bytes;
    }
    flush();
    work.Close();
    ordered.Close();
  });

  std::vector<std::thread> pool;
  for (unsigned i = 0; i < workers; ++i) {
    pool.emplace_back([&] {
      setpriority(PRIO_PROCESS, gettid(), kWorkerNice);  // best effort: only the speed depends on it
      MessageProcessor processor;
      while (std::optional<std::shared_ptr<Batch>> batch = work.Pop()) {
        processor.UseDictionary((*batch)->dictionary);
        std::vector<ImportItem> items;
        items.reserve((*batch)->raw.size());
        for (RawMessage& raw : (*batch)->raw) {
          items.push_back(processor.Process(std::move(raw)));
          ReleaseWhatTheWriterSkips(&items.back());
        }
        held.Add(HeldBytes(items));
        held.Release((*batch)->held_bytes);
        (*batch)->done.set_value(std::move(items));
      }
    });
  }

  Status status = store.BeginBulkImport();
  auto stop_reading = [&] {
    stop = true;
    work.Close();
    held.Close();
  };
  if (!status.ok()) stop_reading();
  while (std::optional<PendingBatch> next = ordered.Pop()) {
    if (!status.ok()) continue;  // drain so the reader can finish; its batches are dropped
    // A new dictionary is stored before anything compressed with it.
    if (next->dictionary && next->dictionary != stored_dictionary) {
      status = store.AddDictionary(*next->dictionary);
      stored_dictionary = next->dictionary;
    }
    std::vector<ImportItem> items = next->items.get();
    std::size_t item_bytes = HeldBytes(items);  // before WriteBatch, which may take from them
    if (status.ok()) status = store.WriteBatch(items, options.target, &report->counts);
    items.clear();
    held.Release(item_bytes);
    if (!status.ok()) stop_reading();
    if (options.on_progress) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      options.on_progress({messages_read.load(), bytes_done.load(), bytes_total, seconds});
    }
  }
  reader.join();
  for (std::thread& t : pool) t.join();
  if (status.ok()) status = store.FinishBulkImport();
  for (std::string& e : read_errors) report->input_errors.push_back(std::move(e));
  report->bytes = bytes_total;
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return status;
}

}  // namespace rt
