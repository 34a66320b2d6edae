#include "web/form.h"

#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mime/charset.h"
#include "util/utf8_prefix.h"

// multipart/form-data is parsed here by hand rather than with GMime: GMime is a mail
// parser, tolerant in the ways mail needs (charset guessing, RFC 2047 words in
// parameters, header repair), while form data has its own rules (WHATWG HTML: names
// are raw UTF-8 with '"', CR and LF sent as %22, %0D, %0A; no backslash escapes; file
// bytes exact up to the CRLF before the boundary). Browsers send one simple shape, and
// the parser below follows RFC 2046/7578 for it in a page of code, without copying the
// body into GMime streams first.

namespace rt {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// A part's header section longer than this is not a browser's.
constexpr std::size_t kMaxPartHeaderBytes = 16 * 1024;

// RFC 2046: boundaries are 1 to 70 characters.
constexpr std::size_t kMaxBoundaryBytes = 70;

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "10 MiB", "128 KiB", "100 bytes".
std::string SizeText(std::size_t bytes) {
  constexpr std::size_t kKiB = 1024;
  constexpr std::size_t kMiB = 1024 * 1024;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= kKiB && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// A name for messages: valid UTF-8, at most 60 bytes.
std::string Quoted(std::string_view name) {
  std::string valid = MakeValidUtf8(name.substr(0, 64));
  if (valid.size() > 60) valid = std::string(Utf8Prefix(valid, 60)) + "...";
  return "\"" + valid + "\"";
}

Status Malformed(std::string_view what) {
  return Status::InvalidArgument("The form data is malformed (" + std::string(what) +
                                 "); please send the form again.");
}

Status NameTooLong(const FormLimits& limits) {
  return Status::InvalidArgument("A form field name is longer than " + SizeText(limits.max_name_bytes) + ".");
}

Status ValueTooLong(std::string_view name, const FormLimits& limits) {
  return Status::InvalidArgument("The field " + Quoted(name) + " is longer than " +
                                 SizeText(limits.max_field_bytes) + "; please shorten it.");
}

Status TooManyFields(const FormLimits& limits) {
  return Status::InvalidArgument("The form has more than " + std::to_string(limits.max_fields) + " fields.");
}

// Checks a field's name and value for the limits and for UTF-8.
Status CheckField(std::string_view name, std::string_view value, const FormLimits& limits) {
  if (name.size() > limits.max_name_bytes) return NameTooLong(limits);
  if (value.size() > limits.max_field_bytes) return ValueTooLong(name, limits);
  for (std::string_view text : {name, value}) {
    if (text.find('\0') != npos) {
      return Status::InvalidArgument("The field " + Quoted(name) + " contains a NUL character.");
    }
    if (MakeValidUtf8(text) != text) {
      return Status::InvalidArgument("The field " + Quoted(name) +
                                     " is not valid UTF-8 text; please send the form from our page.");
    }
  }
  return Status::Ok();
}

Status AddField(Form* form, std::string name, std::string value, const FormLimits& limits) {
  if (form->fields.size() >= limits.max_fields) return TooManyFields(limits);
  Status status = CheckField(name, value, limits);
  if (!status.ok()) return status;
  form->fields.emplace_back(std::move(name), std::move(value));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------
// application/x-www-form-urlencoded, through Boost.URL.

Result<Form> ParseUrlEncoded(std::string_view body, const FormLimits& limits) {
  auto params = boost::urls::parse_query(body);
  if (!params) return Malformed("not properly URL-encoded");
  boost::urls::encoding_opts plus_is_space;
  plus_is_space.space_as_plus = true;
  Form form;
  for (auto param : *params) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    // Limits first, so that nothing large is decoded for nothing.
    if (form.fields.size() >= limits.max_fields) return TooManyFields(limits);
    if (param.key.decoded_size() > limits.max_name_bytes) return NameTooLong(limits);
    if (param.value.decoded_size() > limits.max_field_bytes) {
      return ValueTooLong(param.key.decode(plus_is_space), limits);
    }
    Status status = AddField(&form, param.key.decode(plus_is_space), param.value.decode(plus_is_space), limits);
    if (!status.ok()) return status;
  }
  return form;
}

// ---------------------------------------------------------------------------------
// multipart/form-data.

// A header value's main part and its parameters (lower-case names).
struct HeaderValue {
  std::string value;  // lower case
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string> Param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

// Parses `value; name=token; name="quoted"`. Quoted strings take backslash escapes
// (RFC 9110) for Content-Type, but not in Content-Disposition, where browsers write
// '"' as %22 and a backslash is a backslash (WHATWG HTML). False when malformed.
bool ParseHeaderValue(std::string_view text, bool backslash_escapes, HeaderValue* out) {
  std::size_t semicolon = text.find(';');
  out->value = Lower(Trim(text.substr(0, semicolon)));
  std::size_t pos = semicolon;
  while (pos != npos && pos < text.size()) {
    ++pos;  // past ';'
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    if (pos >= text.size()) break;
    std::size_t end = text.find_first_of("=;", pos);
    std::string name = Lower(Trim(text.substr(pos, end == npos ? npos : end - pos)));
    if (end == npos || text[end] == ';') {  // a parameter without a value
      if (!name.empty()) out->params.emplace_back(std::move(name), "");
      pos = end;
      continue;
    }
    pos = end + 1;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    std::string value;
    if (pos < text.size() && text[pos] == '"') {
      ++pos;
      while (true) {
        if (pos >= text.size()) return false;  // unterminated
        char c = text[pos++];
        if (c == '"') break;
        if (c == '\\' && backslash_escapes && pos < text.size()) c = text[pos++];
        value.push_back(c);
      }
      pos = text.find(';', pos);
    } else {
      end = text.find(';', pos);
      value = std::string(Trim(text.substr(pos, end == npos ? npos : end - pos)));
      pos = end;
    }
    out->params.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

// A name or filename as browsers escape it in form data.
std::string DecodeFormDataName(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name.compare(i, 3, "%0A") == 0) {
      out.push_back('\n');
    } else if (name.compare(i, 3, "%0D") == 0) {
      out.push_back('\r');
    } else if (name.compare(i, 3, "%22") == 0) {
      out.push_back('"');
    } else {
      out.push_back(name[i]);
      continue;
    }
    i += 2;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ToLower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 5987 ext-value "UTF-8'lang'percent-encoded"; nothing when not UTF-8 or malformed.
std::optional<std::string> DecodeExtValue(std::string_view value) {
  std::size_t quote1 = value.find('\'');
  std::size_t quote2 = quote1 == npos ? npos : value.find('\'', quote1 + 1);
  if (quote2 == npos || Lower(value.substr(0, quote1)) != "utf-8") return std::nullopt;
  std::string out;
  for (std::size_t i = quote2 + 1; i < value.size(); ++i) {
    if (value[i] != '%') {
      out.push_back(value[i]);
      continue;
    }
    if (i + 2 >= value.size() || HexValue(value[i + 1]) < 0 || HexValue(value[i + 2]) < 0) return std::nullopt;
    out.push_back(static_cast<char>(HexValue(value[i + 1]) * 16 + HexValue(value[i + 2])));
    i += 2;
  }
  if (MakeValidUtf8(out) != out) return std::nullopt;
  return out;
}

// What is kept of a sent filename: no directory, valid UTF-8, no control characters.
std::string CleanFilename(std::string_view filename) {
  std::size_t slash = filename.find_last_of("/\\");
  if (slash != npos) filename.remove_prefix(slash + 1);
  std::string out = MakeValidUtf8(filename);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  }
  return out;
}

// "type/subtype" in lower case, or "application/octet-stream".
std::string CleanContentType(std::string_view header) {
  HeaderValue parsed;
  if (!ParseHeaderValue(header, true, &parsed)) return "application/octet-stream";
  const std::string& type = parsed.value;
  std::size_t slash = type.find('/');
  bool valid = slash != npos && slash > 0 && slash + 1 < type.size() && type.size() <= 127 &&
               type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789!#$&-^_.+/") == npos &&
               type.find('/', slash + 1) == npos;
  return valid ? type : "application/octet-stream";
}

Status AddPart(Form* form, std::string_view headers, std::string_view content, const FormLimits& limits) {
  std::optional<std::string> disposition;
  std::string content_type;
  while (!headers.empty()) {
    std::size_t end = headers.find("\r\n");
    std::string_view line = headers.substr(0, end);
    headers = end == npos ? std::string_view() : headers.substr(end + 2);
    std::size_t colon = line.find(':');
    if (colon == npos) return Malformed("a part has a header line without ':'");
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-disposition" && !disposition) {
      disposition = std::string(value);
    } else if (name == "content-type" && content_type.empty()) {
      content_type = std::string(value);
    }
  }
  if (!disposition) return Malformed("a part has no Content-Disposition header");
  HeaderValue parsed;
  if (!ParseHeaderValue(*disposition, false, &parsed)) return Malformed("a Content-Disposition header is cut short");
  if (parsed.value != "form-data") return Malformed("a part is not form-data");
  std::optional<std::string> name = parsed.Param("name");
  if (!name) return Malformed("a part has no field name");
  std::string field = DecodeFormDataName(*name);
  std::optional<std::string> filename = parsed.Param("filename");
  std::optional<std::string> ext_filename;
  if (std::optional<std::string> ext = parsed.Param("filename*")) ext_filename = DecodeExtValue(*ext);

  if (!filename && !ext_filename) return AddField(form, std::move(field), std::string(content), limits);

  std::string file_name = CleanFilename(ext_filename ? *ext_filename : DecodeFormDataName(*filename));
  if (file_name.empty() && content.empty()) return Status::Ok();  // a file input left empty
  if (form->files.size() >= limits.max_files) {
    return Status::InvalidArgument("The form has more than " + std::to_string(limits.max_files) +
                                   " files; please send fewer at a time.");
  }
  if (field.size() > limits.max_name_bytes) return NameTooLong(limits);
  if (file_name.size() > limits.max_name_bytes) {
    return Status::InvalidArgument("The name of the file " + Quoted(file_name) + " is longer than " +
                                   SizeText(limits.max_name_bytes) + "; please rename it.");
  }
  if (content.size() > limits.max_file_bytes) {
    return Status::InvalidArgument("The file " + Quoted(file_name) + " is larger than " +
                                   SizeText(limits.max_file_bytes) + ".");
  }
  if (field.find('\0') != npos || MakeValidUtf8(field) != field) {
    return Status::InvalidArgument("A form field name is not valid UTF-8 text.");
  }
  form->files.push_back(FormFile{std::move(field), std::move(file_name),
                                 content_type.empty() ? "application/octet-stream" : CleanContentType(content_type),
                                 std::string(content)});
  return Status::Ok();
}

// Position of the next delimiter line "\r\n--boundary" at or after `from` (RFC 2046: it
// must be followed by "--", or by optional blanks and CRLF), or npos.
std::size_t FindDelimiter(std::string_view body, std::string_view delimiter, std::size_t from) {
  for (std::size_t at = body.find(delimiter, from); at != npos; at = body.find(delimiter, at + 1)) {
    std::size_t after = at + delimiter.size();
    while (after < body.size() && (body[after] == ' ' || body[after] == '\t')) ++after;
    if (after >= body.size() || body.compare(at + delimiter.size(), 2, "--") == 0 ||
        body.compare(after, 2, "\r\n") == 0) {
      return at;
    }
  }
  return npos;
}

Result<Form> ParseMultipart(std::string_view boundary, std::string_view body, const FormLimits& limits) {
  const Status truncated = Status::InvalidArgument(
      "The form data is cut short (the upload may have been interrupted); please send the form again.");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  // The first delimiter may come at the very start (no CRLF before it) or after a preamble.
  std::size_t pos;
  if (body.compare(0, delimiter.size() - 2, std::string_view(delimiter).substr(2)) == 0) {
    pos = delimiter.size() - 2;
  } else {
    std::size_t first = FindDelimiter(body, delimiter, 0);
    if (first == npos) return truncated;
    pos = first + delimiter.size();
  }
  Form form;
  while (true) {
    if (body.compare(pos, 2, "--") == 0) break;  // the close delimiter; the epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (pos >= body.size()) return truncated;
    if (body.compare(pos, 2, "\r\n") != 0) return Malformed("text after a boundary");
    pos += 2;
    std::string_view headers;
    std::size_t content_start;
    if (body.compare(pos, 2, "\r\n") == 0) {
      content_start = pos + 2;  // a part without headers
    } else {
      std::size_t header_end = body.find("\r\n\r\n", pos);
      if (header_end == npos) return body.size() - pos > kMaxPartHeaderBytes ? Malformed("part headers too long") : truncated;
      if (header_end - pos > kMaxPartHeaderBytes) return Malformed("part headers too long");
      headers = body.substr(pos, header_end - pos);
      content_start = header_end + 4;
    }
    std::size_t content_end = FindDelimiter(body, delimiter, content_start);
    if (content_end == npos) return truncated;
    Status status = AddPart(&form, headers, body.substr(content_start, content_end - content_start), limits);
    if (!status.ok()) return status;
    pos = content_end + delimiter.size();
  }
  return form;
}

}  // namespace

std::string Form::Get(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return "";
}

std::vector<std::string> Form::GetAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : fields) {
    if (key == name) values.push_back(value);
  }
  return values;
}

Result<Form> ParseForm(std::string_view content_type, std::string_view body, const FormLimits& limits) {
  HeaderValue type;
  if (!ParseHeaderValue(content_type, true, &type)) type.value.clear();
  if (type.value == "application/x-www-form-urlencoded") return ParseUrlEncoded(body, limits);
  if (type.value == "multipart/form-data") {
    std::optional<std::string> boundary = type.Param("boundary");
    if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryBytes ||
        boundary->find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("The form data has no valid multipart boundary; please send the form again.");
    }
    return ParseMultipart(*boundary, body, limits);
  }
  return Status::InvalidArgument("A form must be sent as application/x-www-form-urlencoded or multipart/form-data" +
                                 std::string(content_type.empty() ? "" : ", not " + Quoted(Trim(content_type))) + ".");
}

}  // namespace rt
