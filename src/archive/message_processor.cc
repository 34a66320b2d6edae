#include "archive/message_processor.h"

#include "archive/body_structure.h"
#include "archive/pipermail_page.h"
#include "archive/subject.h"
#include "mime/mail_date.h"
#include "mime/mime_parser.h"
#include "people/address.h"
#include "search/language.h"
#include "util/compression.h"

namespace rt {

namespace {

// Pipermail's text archives print addresses as "jdoe at example.org"; GMime needs '@'.
std::string DeobfuscateFromHeader(const std::string& bytes) {
  std::size_t end = bytes.find("\n\n");
  if (end == std::string::npos) end = bytes.size();
  std::size_t at = bytes.rfind("\nFrom: ", end);
  if (at == std::string::npos && bytes.rfind("From: ", 0) == 0) at = 0;
  else if (at != std::string::npos) at += 1;
  if (at == std::string::npos) return bytes;
  std::size_t eol = bytes.find('\n', at);
  if (eol == std::string::npos) eol = bytes.size();
  std::string line = bytes.substr(at, eol - at);
  return bytes.substr(0, at) + DeobfuscateAddress(line) + bytes.substr(eol);
}

Status ParsePipermailHtml(const std::string& bytes, ParsedMessage* out) {
  PipermailPage page;
  Status s = ParsePipermailPage(bytes, &page);
  if (!s.ok()) return s;
  out->subject = page.subject;
  out->from_name = page.author_name;
  out->from_address = NormalizeAddress(page.author_address);
  out->date = ParseMailDate(page.date);
  out->message_id = page.message_id;
  if (!page.in_reply_to.empty()) out->references.push_back(page.in_reply_to);
  out->body_text = std::move(page.body);
  LimitFieldSizes(out);
  if (out->message_id.empty()) out->warnings.push_back("no Message-ID (pipermail page)");
  if (!out->date) out->warnings.push_back("no usable date");
  return Status::Ok();
}

// "jdoe@example.org Tue Jan  9 09:22:30 2007", or pipermail's "jdoe at example.org  Tue
// Jan  9 ...": the date is the first tail after a space that reads as one.
std::optional<std::int64_t> EnvelopeDate(std::string_view envelope) {
  for (std::size_t space = envelope.find(' '); space != std::string_view::npos; space = envelope.find(' ', space + 1))
    if (std::optional<std::int64_t> date = ParseMailDate(envelope.substr(space + 1))) return date;
  return std::nullopt;
}

}  // namespace

ImportItem MessageProcessor::Process(RawMessage raw) {
  ImportItem item;
  item.raw_hash = ContentHash(raw.bytes);
  item.raw_size = raw.bytes.size();
  item.raw = std::move(raw);
  const RawMessage& r = item.raw;
  // Quarantined bytes go without the dictionary, so `zstd -d` alone reads them back.
  auto quarantine = [&](std::string reason) {
    item.quarantine_reason = std::move(reason);
    item.compressed_raw = Compress(r.bytes);
    return std::move(item);
  };
  if (r.truncated) return quarantine("message larger than 64 MiB; stored cut at that size");
  ParsedMessage m;
  Status s = r.format == SourceFormat::kPipermailHtml ? ParsePipermailHtml(r.bytes, &m)
             : r.format == SourceFormat::kPipermailText ? ParseMimeMessage(DeobfuscateFromHeader(r.bytes), &m)
                                                        : ParseMimeMessage(r.bytes, &m);
  if (!s.ok()) return quarantine(s.message());
  item.compressed_raw = Compress(r.bytes, dictionary_.get());
  if (!m.date && !r.envelope.empty()) {
    m.date = EnvelopeDate(r.envelope);
    if (m.date) m.warnings.push_back("date taken from the mbox envelope");
  }
  m.list_tag = SubjectListTag(m.subject);

  Analyze(&m);
  if (!m.body_html.empty()) m.body_html_z = Compress(m.body_html, dictionary_.get());
  for (ParsedAttachment& a : m.attachments) {
    a.size = a.data.size();
    a.compressed = Compress(a.data);
    std::string().swap(a.data);
  }
  item.parsed = std::move(m);
  return item;
}

void MessageProcessor::Analyze(ParsedMessage* m) {
  std::vector<Segment> segments = AnalyzeBody(m->body_text);
  m->structure = EncodeSegments(segments);
  std::string own = TextOfKind(m->body_text, segments, SegmentKind::kOwn);
  Language language = DetectLanguage(own.empty() ? std::string_view(m->body_text) : std::string_view(own));
  m->language = std::string(LanguageCode(language));
  m->subject_terms.clear();
  m->body_terms.clear();
  normalizer_.AppendTerms(m->subject, language, &m->subject_terms);
  normalizer_.AppendTerms(own, language, &m->body_terms);
  // Grown by doubling, the terms can hold twice their size while they wait for the writer.
  m->body_terms.shrink_to_fit();
  // Compression is CPU work: done here so the single writer thread only writes. Bodies
  // are compressed too because the writer, not the workers, is slowed by extra bytes.
  m->body_text_z = Compress(m->body_text, dictionary_.get());
}

}  // namespace rt
