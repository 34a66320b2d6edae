#include "archive/message.h"

namespace rt {

const char* SourceFormatName(SourceFormat format) {
  switch (format) {
    case SourceFormat::kMbox: return "mbox";
    case SourceFormat::kMaildir: return "maildir";
    case SourceFormat::kEml: return "eml";
    case SourceFormat::kPipermailText: return "pipermail-text";
    case SourceFormat::kPipermailHtml: return "pipermail-html";
    case SourceFormat::kWeb: return "web";
    case SourceFormat::kLmtp: return "lmtp";
  }
  return "unknown";
}

}  // namespace rt
