#include "archive/message_source.h"

#include "archive/file_sources.h"
#include "archive/mbox_source.h"

namespace rt {

Result<std::unique_ptr<MessageSource>> OpenMessageSource(const std::string& path, InputFormat format) {
  switch (format) {
    case InputFormat::kMbox:
    case InputFormat::kPipermailText: {
      auto source = std::make_unique<MboxSource>(
          path, format == InputFormat::kMbox ? SourceFormat::kMbox : SourceFormat::kPipermailText);
      Status s = source->Open();
      if (!s.ok()) return s;
      return std::unique_ptr<MessageSource>(std::move(source));
    }
    case InputFormat::kEml:
      return std::unique_ptr<MessageSource>(std::make_unique<FileListSource>(std::vector{path}, SourceFormat::kEml));
    case InputFormat::kPipermailHtml:
      return std::unique_ptr<MessageSource>(
          std::make_unique<FileListSource>(std::vector{path}, SourceFormat::kPipermailHtml));
    case InputFormat::kMaildir: {
      Result<std::vector<std::string>> files = ListMaildir(path);
      if (!files.ok()) return files.status();
      return std::unique_ptr<MessageSource>(
          std::make_unique<FileListSource>(std::move(files.value()), SourceFormat::kMaildir));
    }
    case InputFormat::kDirectory:
      break;
  }
  return Status::InvalidArgument(path + ": a plain directory is not a message source");
}

}  // namespace rt
