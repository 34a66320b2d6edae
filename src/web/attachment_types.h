#pragma once
// What may be attached to a post written on the web: types a reader can open safely
// (no executables, HTML or SVG), and only bytes that are what their type says.

#include <string>
#include <string_view>

namespace rt {

/// The allowed types, comma-separated, for the file input's accept attribute.
std::string AttachmentAcceptList();

/// Whether `type` (no parameters) is on the allow-list.
bool IsAllowedAttachmentType(std::string_view type);

/// Whether `data` starts as files of `type` start (PDF, PNG, JPEG, GIF, the OLE2
/// container of old Office files; a ZIP holding an OpenDocument's "mimetype" of that
/// type, or an Office Open XML package with its main folder), and for text types, holds
/// no NUL byte unless it is UTF-16 with a byte order mark. The browser declares the type
/// from the file's name, so a program renamed "minutes.pdf" arrives as application/pdf.
/// Downloads are served as attachments under a sandbox either way.
bool ContentMatchesType(std::string_view type, std::string_view data);

}  // namespace rt
