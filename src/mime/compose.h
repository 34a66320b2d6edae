#pragma once
// Messages Roundtable writes itself (web posts, notices) as RFC 5322 bytes, through
// GMime: headers encoded (RFC 2047) and folded, bodies UTF-8 quoted-printable.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace rt {

struct OutgoingAttachment {
  std::string filename, content_type, data;
};

struct OutgoingMessage {
  std::string from_name, from_address;
  std::vector<std::string> to;  ///< addresses
  std::string reply_to;         ///< "" for none
  std::string subject;
  std::string message_id;  ///< without <>
  std::vector<std::string> references;  ///< without <>, oldest first; the last is In-Reply-To
  std::int64_t date = 0;   ///< Unix seconds
  std::vector<std::pair<std::string, std::string>> extra_headers;  ///< List-Id, Auto-Submitted...
  std::string text;  ///< UTF-8 body
  std::vector<OutgoingAttachment> attachments;
};

/// The message's bytes, CRLF line endings. InvalidArgument when a header value holds CR
/// or LF (no header injection) or an address is not one.
Result<std::string> ComposeMessage(const OutgoingMessage& message);

/// A new globally unique Message-ID (without <>) in `domain`: random, so it says nothing
/// about who wrote what when.
std::string NewMessageId(std::string_view domain);

}  // namespace rt
