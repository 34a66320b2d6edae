#pragma once
// HTML form submissions (POST bodies): application/x-www-form-urlencoded, and
// multipart/form-data with file uploads. Cookies: CookieValue in web/request_url.h.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace rt {

/// An uploaded file.
struct FormFile {
  std::string field;         ///< the name of the form field it was sent for
  std::string filename;      ///< as the browser sent it, without any directory part; may be empty
  std::string content_type;  ///< lower-case "type/subtype" as sent, "application/octet-stream" if none
  std::string data;          ///< the bytes, exactly as sent
};

/// A submitted form: text fields in the order sent (a name may repeat), then files.
struct Form {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<FormFile> files;

  /// The first value of the field `name`, or "" when there is none.
  std::string Get(std::string_view name) const;
  /// Every value of the field `name`, in order.
  std::vector<std::string> GetAll(std::string_view name) const;
};

/// What a form may hold. Anything beyond is an error, never silently cut. The body as
/// a whole is capped by the HTTP server before it gets here.
struct FormLimits {
  std::size_t max_fields = 200;                   ///< text fields
  std::size_t max_files = 10;                     ///< uploaded files
  std::size_t max_field_bytes = 128 * 1024;       ///< one text field's value
  std::size_t max_file_bytes = 10 * 1024 * 1024;  ///< one file
  std::size_t max_name_bytes = 256;               ///< a field's name, a file's name
};

/// Parses a POST body sent with the given Content-Type header:
/// - application/x-www-form-urlencoded: "a=1&b=x+y%21" ('+' is a space); empty pairs
///   ("a=1&&b=2") are skipped, a key without '=' has the value "".
/// - multipart/form-data; boundary=... (quoted or not): each part's Content-Disposition
///   name and filename (or RFC 5987 filename*=UTF-8''..., preferred when present) and
///   Content-Type. A part with a filename is a file; a file input left empty (no name,
///   no bytes) is skipped. Names and filenames are read as browsers write them (WHATWG
///   HTML: quotes, CR and LF sent as %22, %0D, %0A). Filenames lose any directory part
///   ("C:\x\a.txt" -> "a.txt"); invalid UTF-8 and control characters in them become
///   U+FFFD and '_'.
/// Field names and values must be valid UTF-8 without NUL characters (our pages are
/// UTF-8, so browsers send UTF-8). Values are as sent: textareas send CRLF line breaks.
///
/// Errors, all InvalidArgument with a message a user can act on: another content type,
/// a missing boundary, malformed or truncated data, more fields or files than `limits`
/// allow, a value, file or name over its limit, text that is not UTF-8.
/// The result holds copies: `body` may go once this returns. Thread-safe.
Result<Form> ParseForm(std::string_view content_type, std::string_view body,
                       const FormLimits& limits = FormLimits());

}  // namespace rt
