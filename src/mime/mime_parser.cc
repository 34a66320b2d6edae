#include "mime/mime_parser.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>

#include "mime/charset.h"
#include "mime/gobject_ptr.h"
#include "mime/html_to_text.h"
#include "mime/mail_date.h"
#include "mime/part_content.h"
#include "people/address.h"
#include "util/ascii.h"
#include "util/compression.h"
#include "util/utf8_prefix.h"

namespace rt {

namespace {

// Parts beyond this many are not walked: a bomb of nested multiparts must not stall a worker.
constexpr int kMaxParts = 500;
constexpr int kMaxDepth = 20;
constexpr std::size_t kMaxReferences = 100;
// RFC 5322's line limit: no real Message-ID, subject or name is longer. A megabyte subject
// would otherwise be copied into every page, feed and index entry that names the message.
constexpr std::size_t kMaxFieldBytes = 998;

GMimeParserOptions* Options() {
  // Built once; GMime only reads parser options during parsing.
  static GMimeParserOptions* options = [] {
    GMimeParserOptions* o = g_mime_parser_options_new();
    static const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(o, fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(o, TRUE);
    return o;
  }();
  return options;
}

std::string CleanId(const char* id) {
  if (!id) return {};
  std::string s(id);
  std::size_t b = s.find_first_not_of(" \t\r\n<");
  std::size_t e = s.find_last_not_of(" \t\r\n>");
  if (b == std::string::npos) return {};
  return std::string(Utf8Prefix(std::string_view(s).substr(b, e - b + 1), kMaxFieldBytes));
}

// The distinct ids of a References or In-Reply-To header, in order, after those in `refs`.
void AddReferences(const char* header, std::vector<std::string>* refs, std::unordered_set<std::string>* seen) {
  if (!header) return;
  GMimeReferences* parsed = g_mime_references_parse(Options(), header);
  if (!parsed) return;
  for (int i = 0; i < g_mime_references_length(parsed); ++i) {
    std::string id = CleanId(g_mime_references_get_message_id(parsed, i));
    if (!id.empty() && seen->insert(id).second) refs->push_back(std::move(id));
  }
  g_mime_references_free(parsed);
}

// "<policy.lists.example.org>" or "Policy list <policy.lists.example.org>" -> "policy".
std::string ListNameFromListId(const char* header) {
  if (!header) return {};
  std::string id = header;
  std::size_t lt = id.rfind('<');
  std::size_t gt = id.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) id = id.substr(lt + 1, gt - lt - 1);
  std::size_t dot = id.find('.');
  std::string name = id.substr(0, dot);
  std::string clean;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') clean.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return clean;
}

bool IsTextBody(GMimeObject* part, const char* subtype) {
  GMimeContentType* type = g_mime_object_get_content_type(part);
  return type && g_mime_content_type_is_type(type, "text", subtype);
}

struct Walker {
  ParsedMessage* out;
  int parts = 0;
  bool too_deep = false;

  void Attachment(GMimePart* part, std::string data) {
    ParsedAttachment a;
    const char* name = g_mime_part_get_filename(part);
    a.filename = name ? name : "";
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
    if (type) {
      char* mime = g_mime_content_type_get_mime_type(type);
      a.content_type = mime ? mime : "application/octet-stream";
      g_free(mime);
    }
    a.hash = ContentHash(data);
    a.data = std::move(data);
    out->attachments.push_back(std::move(a));
  }

  void Part(GMimePart* part) {
    GMimeObject* object = GMIME_OBJECT(part);
    bool text = IsTextBody(object, "plain");
    bool html = IsTextBody(object, "html");
    std::string data = DecodedContent(part);
    // Only the first HTML body counts; further inline text/plain parts (Mailman appends its
    // footer as one) continue the text body.
    if (g_mime_part_is_attachment(part) || (!text && !html) || (html && !out->body_html.empty())) {
      Attachment(part, std::move(data));
      return;
    }
    bool repaired = false;
    std::string utf8 = ToUtf8(data, g_mime_object_get_content_type_parameter(object, "charset"), &repaired);
    if (repaired) out->warnings.push_back("body charset repaired");
    AppendText(utf8, text ? &out->body_text : &out->body_html);
  }

  // Mail on the wire ends lines in CRLF (LMTP, .eml files); the text readers see does not.
  static void AppendText(std::string_view utf8, std::string* target) {
    if (!target->empty() && target->back() != '\n') target->push_back('\n');
    target->reserve(target->size() + utf8.size());
    std::size_t from = 0;
    for (std::size_t cr = utf8.find("\r\n"); cr != std::string_view::npos; cr = utf8.find("\r\n", from)) {
      target->append(utf8.substr(from, cr - from));
      from = cr + 1;
    }
    target->append(utf8.substr(from));
  }

  void Walk(GMimeObject* object, int depth) {
    if (depth > kMaxDepth) too_deep = true;
    if (!object || ++parts > kMaxParts || depth > kMaxDepth) return;
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multi = GMIME_MULTIPART(object);
      int n = g_mime_multipart_get_count(multi);
      for (int i = 0; i < n; ++i) Walk(g_mime_multipart_get_part(multi, i), depth + 1);
      // A multipart whose boundary never comes: its whole text is the "prologue".
      const char* prologue = n == 0 ? g_mime_multipart_get_prologue(multi) : nullptr;
      if (prologue && *prologue) {
        bool repaired = false;
        AppendText(ToUtf8(prologue, nullptr, &repaired), &out->body_text);
        out->warnings.push_back("multipart body without parts (its boundary never appears); read as text");
      }
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      // A forwarded message is kept whole, as an .eml attachment.
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (!inner) return;
      GPtr<GMimeStream> mem(g_mime_stream_mem_new());
      g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, mem.get());
      GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
      ParsedAttachment a;
      const char* subject = g_mime_message_get_subject(inner);
      a.filename = std::string(subject && *subject ? subject : "message") + ".eml";
      a.content_type = "message/rfc822";
      a.data.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
      a.hash = ContentHash(a.data);
      out->attachments.push_back(std::move(a));
    } else if (GMIME_IS_PART(object)) {
      Part(GMIME_PART(object));
    }
  }
};

// The last header of that name: where GMimeMessage takes Subject and Message-ID from.
GMimeHeader* LastHeader(GMimeHeaderList* headers, const char* name) {
  GMimeHeader* last = nullptr;
  for (int i = 0, n = g_mime_header_list_get_count(headers); i < n; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    if (g_ascii_strcasecmp(g_mime_header_get_name(header), name) == 0) last = header;
  }
  return last;
}

// The first mailbox of the From headers, parsed as GMimeMessage parses them.
void ReadFrom(GMimeHeaderList* headers, ParsedMessage* out) {
  for (int i = 0, n = g_mime_header_list_get_count(headers); i < n; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* raw = g_mime_header_get_raw_value(header);
    if (g_ascii_strcasecmp(g_mime_header_get_name(header), "From") != 0 || !raw) continue;
    GPtr<InternetAddressList> from(internet_address_list_parse(Options(), DecodeRawIso2022Jp(raw).c_str()));
    if (!from || internet_address_list_length(from.get()) == 0) continue;
    InternetAddress* address = internet_address_list_get_address(from.get(), 0);
    if (const char* name = internet_address_get_name(address)) out->from_name = name;
    if (INTERNET_ADDRESS_IS_MAILBOX(address))
      out->from_address = NormalizeAddress(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)));
    return;
  }
}

// Where the header ends: its blank line (LF or CRLF), or the end of the bytes.
std::size_t HeaderEnd(std::string_view bytes) {
  for (std::size_t nl = bytes.find('\n'); nl != std::string_view::npos; nl = bytes.find('\n', nl + 1))
    if (bytes.substr(nl + 1, 1) == "\n" || bytes.substr(nl + 1, 2) == "\r\n") return nl + 1;
  return bytes.size();
}

bool HasHeaderBlock(std::string_view bytes) {
  std::size_t nl = bytes.find('\n');
  std::string_view first = bytes.substr(0, nl);
  std::size_t colon = first.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i)
    if (first[i] <= 32 || first[i] >= 127) return false;
  return true;
}

// The top-level fields ParseMimeMessage reads, and the Content-* fields GMime decodes the
// body by. Keep in step with the reads in ParseMimeMessage and Walker.
bool IsReadField(std::string_view name) {
  static constexpr std::string_view kRead[] = {"From",     "Subject",     "Date",    "Message-ID",
                                               "References", "In-Reply-To", "List-Id", "MIME-Version"};
  auto same = [&](std::string_view read) { return EqualsIgnoreCase(name, read); };
  return std::any_of(std::begin(kRead), std::end(kRead), same) ||
         (name.size() > 8 && EqualsIgnoreCase(name.substr(0, 8), "Content-"));
}

// `bytes` without the top-level fields IsReadField does not name, or empty when it names
// them all. GMime makes every field a GObject, and the fields the archive never reads
// (Received chains, list and spam headers: two thirds of a typical list message's) were a
// quarter of its parsing time (docs/PERFORMANCE.md). Only plain fields are left out: from
// the first line that is not one (no name, a bare CR, no newline), everything is kept as
// it was, so GMime reads the rest exactly as it would have.
std::string WithoutUnreadFields(std::string_view bytes) {
  std::string kept;
  std::size_t pos = 0;  // where the next field starts
  bool dropped = false;
  auto line_end = [&](std::size_t from) -> std::size_t {  // past the line's newline; npos when odd
    std::size_t nl = bytes.find('\n', from);
    if (nl == std::string_view::npos) return nl;
    std::size_t cr = bytes.substr(from, nl - from).find('\r');
    return cr == std::string_view::npos || from + cr == nl - 1 ? nl + 1 : std::string_view::npos;
  };
  for (;;) {
    std::size_t colon = bytes.find(':', pos);
    std::size_t end = line_end(pos);
    if (colon == std::string_view::npos || colon == pos || end == std::string_view::npos || colon >= end) break;
    std::string_view name = bytes.substr(pos, colon - pos);
    if (!std::all_of(name.begin(), name.end(), [](char c) { return c > 32 && c < 127; })) break;
    while (end < bytes.size() && (bytes[end] == ' ' || bytes[end] == '\t')) end = line_end(end);
    if (end == std::string_view::npos) break;
    if (IsReadField(name)) {
      kept.append(bytes.substr(pos, end - pos));
    } else {
      dropped = true;
    }
    pos = end;
  }
  if (!dropped) return {};
  kept.append(bytes.substr(pos));
  return kept;
}

// Cuts a field longer than kMaxFieldBytes, noting it.
void LimitField(const char* name, std::string* value, std::vector<std::string>* warnings) {
  if (value->size() <= kMaxFieldBytes) return;
  warnings->push_back(std::string(name) + " cut to " + std::to_string(kMaxFieldBytes) + " of " +
                      std::to_string(value->size()) + " bytes");
  value->resize(Utf8Prefix(*value, kMaxFieldBytes).size());
}

// Keeps the thread's root (the first reference) and the nearest ancestors (the last):
// threading needs no more, and a header naming thousands of ids must not cost the writer
// a lookup and a row for each.
void LimitReferences(ParsedMessage* out) {
  std::vector<std::string>& refs = out->references;
  if (refs.size() <= kMaxReferences) return;
  out->warnings.push_back("References named " + std::to_string(refs.size()) + " messages; kept the first and the last " +
                          std::to_string(kMaxReferences - 1));
  refs.erase(refs.begin() + 1, refs.end() - static_cast<std::ptrdiff_t>(kMaxReferences - 1));
}

}  // namespace

void InitMime() { g_mime_init(); }

void LimitFieldSizes(ParsedMessage* m) {
  LimitReferences(m);
  LimitField("Subject", &m->subject, &m->warnings);
  LimitField("Sender's name", &m->from_name, &m->warnings);
  LimitField("Message-ID", &m->message_id, &m->warnings);
  for (std::string& ref : m->references) ref.resize(Utf8Prefix(ref, kMaxFieldBytes).size());
}

std::string_view WithoutLeadingBlankLines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty() && (text.front() == '\n' || text.substr(0, 2) == "\r\n")) text.remove_prefix(text.front() == '\n' ? 1 : 2);
  return text;
}

Status ParseMimeMessage(std::string_view bytes, ParsedMessage* out) {
  bytes = WithoutLeadingBlankLines(bytes);
  if (!HasHeaderBlock(bytes)) return Status::BadFormat("no header block: the message does not start with a header field");
  // GMime reads header values as C strings: a NUL would end the field there.
  std::string without_nul;
  if (std::size_t nul = bytes.find('\0'); nul != std::string_view::npos && nul < HeaderEnd(bytes)) {
    without_nul.assign(bytes);
    std::replace(without_nul.begin(), without_nul.begin() + static_cast<std::ptrdiff_t>(HeaderEnd(bytes)), '\0', ' ');
    bytes = without_nul;
    out->warnings.push_back("NUL bytes in the header read as spaces");
  }
  std::string read_fields = WithoutUnreadFields(bytes);
  if (!read_fields.empty()) bytes = read_fields;
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  // The message is read as a MIME part whose headers are the message's: a GMimeMessage
  // would also parse every To, Cc and Reply-To list and the date, a third of the
  // parsing time, for fields the archive does not use. The few it does are read below
  // as GMimeMessage reads them.
  GPtr<GMimeObject> top(g_mime_parser_construct_part(parser.get(), Options()));
  if (!top) return Status::BadFormat("GMime could not parse the message");
  GMimeObject* object = top.get();
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);

  if (GMimeHeader* id = LastHeader(headers, "Message-Id")) {
    char* decoded = g_mime_utils_decode_message_id(g_mime_header_get_value(id));
    out->message_id = CleanId(decoded);
    g_free(decoded);
  }
  std::unordered_set<std::string> seen_references;
  AddReferences(g_mime_object_get_header(object, "References"), &out->references, &seen_references);
  AddReferences(g_mime_object_get_header(object, "In-Reply-To"), &out->references, &seen_references);
  if (GMimeHeader* subject = LastHeader(headers, "Subject"); subject && g_mime_header_get_value(subject)) {
    bool repaired = false;
    out->subject = ToUtf8(DecodeRawIso2022Jp(g_mime_header_get_value(subject)), "UTF-8", &repaired);
  }
  ReadFrom(headers, out);
  if (out->from_address.empty()) {
    if (const char* raw_from = g_mime_object_get_header(object, "From")) {
      out->from_address = NormalizeAddress(raw_from);
      if (out->from_name.empty() && out->from_address.empty()) out->from_name = raw_from;
    }
  }
  LimitFieldSizes(out);
  if (const char* date = g_mime_object_get_header(object, "Date")) out->date = ParseMailDate(date);
  out->list_hint = ListNameFromListId(g_mime_object_get_header(object, "List-Id"));

  Walker walker{out};
  walker.Walk(object, 0);
  if (walker.parts > kMaxParts) out->warnings.push_back("more than 500 MIME parts; the rest was not read");
  if (walker.too_deep) out->warnings.push_back("MIME parts nested more than 20 deep; the deeper ones were not read");
  if (out->body_text.empty() && !out->body_html.empty()) out->body_text = HtmlToText(out->body_html);
  if (out->from_address.empty()) out->warnings.push_back("no usable From address");
  if (!out->date) out->warnings.push_back("no usable Date header");
  if (out->message_id.empty()) out->warnings.push_back("no Message-ID");
  return Status::Ok();
}

}  // namespace rt
