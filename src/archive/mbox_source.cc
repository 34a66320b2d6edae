#include "archive/mbox_source.h"

#include <sys/stat.h>

namespace rt {

namespace {

bool IsBlankLine(std::string_view line) { return line == "\n" || line == "\r\n"; }

std::string_view WithoutLineEnd(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// mboxrd: ">From ", ">>From " ... lose one '>'.
bool IsEscapedFrom(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return i > 0 && line.substr(i, 5) == "From ";
}

}  // namespace

Status MboxSource::Open() {
  struct stat st;
  if (stat(path_.c_str(), &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
  return reader_.Open(path_);
}

bool MboxSource::StartFirstMessage(RawMessage* out) {
  // Usually the first line is a separator. Anything else before one (a message without its
  // separator) is read as a message of its own, so nothing is dropped.
  std::string_view line;
  bool first = true;
  while (reader_.Next(&line)) {
    // A byte-order mark some Windows tools write before the first separator is no message.
    if (first && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    first = false;
    if (IsBlankLine(line)) continue;
    pending_offset_ = reader_.offset() - line.size();
    if (line.substr(0, 5) == "From ") {
      pending_envelope_ = std::string(WithoutLineEnd(line).substr(5));
      pending_offset_ = reader_.offset();
    } else {
      out->bytes.assign(line);
    }
    return true;
  }
  return false;
}

void MboxSource::Take(std::string_view line, RawMessage* out) {
  if (out->bytes.size() + line.size() > kMaxMessageBytes) {
    out->truncated = true;
    return;
  }
  // Pipermail's text archives never escape, so their ">From" lines are the author's own.
  if (format_ != SourceFormat::kPipermailText && IsEscapedFrom(line)) line.remove_prefix(1);
  out->bytes.append(line);
}

bool MboxSource::Next(RawMessage* out) {
  out->bytes.clear();
  out->truncated = false;
  if (!started_) {
    started_ = true;
    have_pending_ = StartFirstMessage(out);
  }
  if (!have_pending_) return false;
  out->envelope = pending_envelope_;
  out->offset = pending_offset_;
  out->source = path_;
  out->format = format_;
  out->bytes += pending_first_line_;
  pending_first_line_.clear();
  have_pending_ = false;
  std::string_view line;
  bool previous_blank = false;
  std::size_t blank_len = 0;
  auto next_message = [&](std::string_view separator) {
    pending_envelope_ = std::string(WithoutLineEnd(separator).substr(5));
    have_pending_ = true;
    return true;
  };
  while (reader_.Next(&line)) {
    if (IsMboxSeparator(WithoutLineEnd(line))) {
      if (previous_blank) {
        out->bytes.resize(out->bytes.size() - blank_len);  // the separator's blank line
        pending_offset_ = reader_.offset();
        return next_message(line);
      }
      // No blank line before it: a separator only if a header follows.
      std::string separator(line);
      std::string_view after;
      bool more = reader_.Next(&after);
      if (more && LooksLikeHeaderLine(WithoutLineEnd(after))) {
        pending_offset_ = reader_.offset() - after.size();
        pending_first_line_.assign(after);
        return next_message(separator);
      }
      Take(separator, out);
      previous_blank = false;
      if (!more) break;
      line = after;
    }
    previous_blank = IsBlankLine(line);
    blank_len = previous_blank && out->bytes.size() + line.size() <= kMaxMessageBytes ? line.size() : 0;
    Take(line, out);
  }
  if (previous_blank) out->bytes.resize(out->bytes.size() - blank_len);
  return true;
}

}  // namespace rt
