#include "web/attachment_types.h"

namespace rt {

namespace {

struct AttachmentType {
  const char* type;
  std::string_view signature;  // what the file starts with; empty for text
  std::string_view zip_member;  // for ZIP-based documents: a file name that must be inside
};

constexpr std::string_view kZip("PK\x03\x04", 4);
constexpr std::string_view kOle2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

constexpr AttachmentType kTypes[] = {
    {"application/pdf", "%PDF-", ""},
    {"text/plain", "", ""},
    {"text/csv", "", ""},
    {"image/png", "\x89PNG\r\n\x1A\n", ""},
    {"image/jpeg", "\xFF\xD8\xFF", ""},
    {"image/gif", "GIF8", ""},
    // OpenDocument (ISO 26300): the first member is "mimetype", stored, holding the type.
    {"application/vnd.oasis.opendocument.text", kZip, "mimetype"},
    {"application/vnd.oasis.opendocument.spreadsheet", kZip, "mimetype"},
    {"application/vnd.oasis.opendocument.presentation", kZip, "mimetype"},
    // Office Open XML (ECMA-376): the package's main part lives in its own folder.
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", kZip, "word/"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", kZip, "xl/"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", kZip, "ppt/"},
    {"application/msword", kOle2, ""},
    {"application/vnd.ms-excel", kOle2, ""},
    {"application/vnd.ms-powerpoint", kOle2, ""},
};

const AttachmentType* Find(std::string_view type) {
  for (const AttachmentType& t : kTypes)
    if (type == t.type) return &t;
  return nullptr;
}

}  // namespace

std::string AttachmentAcceptList() {
  std::string accept;
  for (const AttachmentType& t : kTypes) accept += (accept.empty() ? "" : ",") + std::string(t.type);
  return accept;
}

bool IsAllowedAttachmentType(std::string_view type) { return Find(type) != nullptr; }

bool ContentMatchesType(std::string_view type, std::string_view data) {
  const AttachmentType* t = Find(type);
  if (!t) return false;
  if (t->signature.empty()) {
    // Text in UTF-16 has NULs; its byte order mark says so.
    bool utf16 = data.substr(0, 2) == "\xFF\xFE" || data.substr(0, 2) == "\xFE\xFF";
    return utf16 || data.find('\0') == std::string_view::npos;
  }
  if (data.substr(0, t->signature.size()) != t->signature) return false;
  if (t->zip_member.empty()) return true;
  if (t->zip_member == "mimetype")  // the local header is 30 bytes, then the name, then the data
    return data.size() >= 38 && data.substr(30, 8) == "mimetype" &&
           data.substr(38, std::string_view(t->type).size()) == t->type;
  // Member names are stored in plain text in the local and central headers.
  return data.find(t->zip_member) != std::string_view::npos && data.find("[Content_Types].xml") != std::string_view::npos;
}

}  // namespace rt
