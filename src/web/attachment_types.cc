#include "web/attachment_types.h"

namespace rt {

namespace {

struct AttachmentType {
  const char* type;
  std::string_view signature;  // what the file starts with; empty for text
};

constexpr std::string_view kZip("PK\x03\x04", 4);
constexpr std::string_view kOle2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

constexpr AttachmentType kTypes[] = {
    {"application/pdf", "%PDF-"},
    {"text/plain", ""},
    {"text/csv", ""},
    {"image/png", "\x89PNG\r\n\x1A\n"},
    {"image/jpeg", "\xFF\xD8\xFF"},
    {"image/gif", "GIF8"},
    {"application/vnd.oasis.opendocument.text", kZip},
    {"application/vnd.oasis.opendocument.spreadsheet", kZip},
    {"application/vnd.oasis.opendocument.presentation", kZip},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", kZip},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", kZip},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", kZip},
    {"application/msword", kOle2},
    {"application/vnd.ms-excel", kOle2},
    {"application/vnd.ms-powerpoint", kOle2},
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
  if (t->signature.empty()) return data.find('\0') == std::string_view::npos;
  return data.substr(0, t->signature.size()) == t->signature;
}

}  // namespace rt
