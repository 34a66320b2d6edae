#include "export/exporter.h"

#include <cerrno>
#include <cstring>

#include <boost/json.hpp>

#include "mime/mail_date.h"

namespace rt {

namespace {

void WriteEscaped(std::string_view raw, std::ostream& out) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? raw.size() : nl + 1;
    std::string_view line = raw.substr(pos, end - pos);
    std::size_t i = 0;
    while (i < line.size() && line[i] == '>') ++i;
    if (line.substr(i, 5) == "From ") out.put('>');
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    pos = end;
  }
}

// RFC 5322's quoted-string: a display name with quotes or backslashes stays one name.
std::string QuotedName(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// A pipermail page is HTML, not mail: it leaves as the message it shows, with what the
// page told of it (its Message-ID too, so a re-import finds it again).
std::string PipermailAsMessage(const StoredMessage& m) {
  std::string out = "From: " + (m.from_name.empty() ? m.from_address : QuotedName(m.from_name) + " <" + m.from_address + ">") + "\n";
  if (m.date > 0) out += "Date: " + FormatUtc(m.date, "%a, %d %b %Y %H:%M:%S +0000") + "\n";
  out += "Subject: " + m.subject + "\n";
  if (!m.message_id.empty()) out += "Message-ID: <" + m.message_id + ">\n";
  if (!m.references.empty()) {
    out += "In-Reply-To: <" + m.references.back() + ">\nReferences:";
    for (const std::string& r : m.references) out += " <" + r + ">";
    out += "\n";
  }
  out += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n";
  out += m.body_text;
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
  return out;
}

}  // namespace

std::string SynthesizedEnvelope(const StoredMessage& message) {
  return (message.from_address.empty() ? std::string("MAILER-DAEMON") : message.from_address) + " " +
         FormatUtc(message.date, "%a %b %e %H:%M:%S %Y");
}

namespace {

// After a failed write errno says why: a full disk, a closed pipe ("| head")...
Status WriteStatus(const std::ostream& out) {
  if (out) return Status::Ok();
  return Status::IoError(std::string("writing the export failed: ") + std::strerror(errno));
}

}  // namespace

Result<std::uint64_t> ExportMbox(Store& store, const ExportFilter& filter, std::ostream& out) {
  std::uint64_t count = 0;
  Status s = store.ForEachMessage(filter, [&](const StoredMessage& m) {
    out << "From " << (m.envelope.empty() ? SynthesizedEnvelope(m) : m.envelope) << '\n';
    const std::string body = m.source_format == "pipermail-html" ? PipermailAsMessage(m) : m.raw;
    WriteEscaped(body, out);
    // A message must end its last line, or the next "From " would not start a line.
    if (!body.empty() && body.back() != '\n') out << '\n';
    out << '\n';
    ++count;
    return WriteStatus(out);
  });
  if (!s.ok()) return s;
  return count;
}

Result<std::uint64_t> ExportJsonl(Store& store, const ExportFilter& filter, std::ostream& out) {
  std::uint64_t count = 0;
  Status s = store.ForEachMessage(filter, [&](const StoredMessage& m) {
    boost::json::array refs;
    for (const std::string& r : m.references) refs.emplace_back(r);
    boost::json::object o;
    o["message_id"] = m.message_id;
    o["forum"] = m.forum;
    o["list"] = m.list;
    o["thread_id"] = m.thread_id;
    o["parent"] = m.parent_id ? boost::json::value(*m.parent_id) : boost::json::value(nullptr);
    o["date"] = FormatIsoUtc(m.date);
    o["from_name"] = m.from_name;
    o["from_address"] = m.from_address;
    o["subject"] = m.subject;
    o["language"] = m.language;
    o["references"] = std::move(refs);
    o["source_format"] = m.source_format;
    o["body_text"] = m.body_text;
    out << boost::json::serialize(o) << '\n';
    ++count;
    return WriteStatus(out);
  });
  if (!s.ok()) return s;
  return count;
}

}  // namespace rt
