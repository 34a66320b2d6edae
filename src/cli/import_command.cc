#include <malloc.h>
#include <unistd.h>

#include <cstdio>

#include "archive/importer.h"
#include "cli/commands.h"
#include "cli/open_store.h"
#include "cli/terminal_text.h"

namespace rt {

namespace {

std::string Megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

void DrawProgress(const ImportProgress& p) {
  double rate = p.seconds > 0 ? static_cast<double>(p.messages) / p.seconds : 0;
  double fraction = p.bytes_total ? std::min(1.0, static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)) : 0;
  double eta = fraction > 0.01 ? p.seconds * (1 - fraction) / fraction : 0;
  constexpr int kWidth = 24;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r[%s] %3.0f%% %llu msgs  %.0f msg/s  %s / %s  ETA %d:%02d ", bar.c_str(), fraction * 100,
               static_cast<unsigned long long>(p.messages), rate, Megabytes(p.bytes_done).c_str(),
               Megabytes(p.bytes_total).c_str(), static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
  std::fflush(stderr);
}

}  // namespace

int RunImport(const ImportArgs& args) {
  // Workers free and reallocate message-sized buffers all the time; without these glibc
  // keeps returning memory to the kernel, and the TLB shootdowns cost ~10% of an import.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  StakeholderRules rules = StakeholderRules::Defaults();
  if (!args.rules.empty()) {
    Status s = rules.AddFile(args.rules);
    if (!s.ok()) return ReportFailure(s);
  }
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, false);
  if (!store) return kExitDatabase;
  ImportOptions options;
  options.target.forum = args.forum;
  options.target.list = args.list;
  options.target.rules = &rules;
  options.workers = args.workers;
  bool tty = args.progress && isatty(STDERR_FILENO);
  if (tty) options.on_progress = DrawProgress;
  ImportReport report;
  Status s = Import(*store, args.paths, options, &report);
  if (tty) std::fprintf(stderr, "\n");
  // File names are anyone's bytes too.
  for (const std::string& e : report.input_errors) std::fprintf(stderr, "roundtable: %s\n", TerminalText(e).c_str());
  for (const std::string& e : report.skipped) std::fprintf(stderr, "roundtable: skipped %s\n", TerminalText(e).c_str());
  const ImportCounts& c = report.counts;
  double rate = report.seconds > 0 ? static_cast<double>(c.imported + c.duplicates + c.quarantined) / report.seconds : 0;
  std::printf("imported %llu, duplicates %llu, quarantined %llu in %.1f s (%.0f msg/s, %s)\n",
              static_cast<unsigned long long>(c.imported), static_cast<unsigned long long>(c.duplicates),
              static_cast<unsigned long long>(c.quarantined), report.seconds, rate, Megabytes(report.bytes).c_str());
  if (!s.ok()) return ReportFailure(s);
  if (!report.input_errors.empty()) return kExitInput;
  if (c.quarantined > 0) return kExitQuarantined;
  return kExitOk;
}

}  // namespace rt
