#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "cli/terminal_text.h"
#include "mime/mail_date.h"

namespace rt {

int RunThread(const ThreadArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  Result<std::vector<ThreadEntry>> thread = store->Thread(args.message_id);
  if (!thread.ok()) return ReportFailure(thread.status());
  for (const ThreadEntry& e : thread.value()) {
    // Deep threads stay readable: indentation stops growing at 12 levels.
    std::string indent(static_cast<std::size_t>(std::min(e.depth, 12)) * 2, ' ');
    std::cout << indent << (e.depth ? "└ " : "") << TerminalText(e.subject) << "\n"
              << indent << (e.depth ? "  " : "") << TerminalText(e.from_name.empty() ? e.from_address : e.from_name)
              << ", " << FormatIsoUtc(e.date).substr(0, 16) << "  <" << TerminalText(e.message_id) << ">\n";
  }
  return kExitOk;
}

}  // namespace rt
