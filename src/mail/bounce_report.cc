#include "mail/bounce_report.h"

#include <gmime/gmime.h>

#include <string>

#include "mime/gobject_ptr.h"
#include "mime/part_content.h"
#include "util/ascii.h"

namespace rt {

namespace {

struct DeliveryStatus {
  bool found = false;   // a delivery-status part was seen
  bool failed = false;  // one of its recipients failed
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Per-recipient "Action:" fields of a delivery-status body (RFC 3464 2.3.3). A report
// that names no action at all is read as a failure: that is what a report is sent for.
void ReadActions(std::string_view body, DeliveryStatus* status) {
  status->found = true;
  bool any_action = false;
  while (!body.empty()) {
    std::size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (line.size() < 7 || !EqualsIgnoreCase(line.substr(0, 7), "action:")) continue;
    any_action = true;
    std::string_view action = Trim(line.substr(7));
    action = action.substr(0, action.find_first_of(" \t("));
    if (EqualsIgnoreCase(action, "failed")) status->failed = true;
  }
  if (!any_action) status->failed = true;
}

void VisitPart(GMimeObject* /*parent*/, GMimeObject* part, gpointer data) {
  auto* status = static_cast<DeliveryStatus*>(data);
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (!type || !GMIME_IS_PART(part)) return;
  if (!g_mime_content_type_is_type(type, "message", "delivery-status") &&
      !g_mime_content_type_is_type(type, "message", "global-delivery-status"))
    return;
  ReadActions(DecodedContent(GMIME_PART(part)), status);
}

bool FromMailSystem(GMimeMessage* message) {
  InternetAddressList* from = g_mime_message_get_from(message);
  if (!from || internet_address_list_length(from) == 0) return false;
  InternetAddress* first = internet_address_list_get_address(from, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX(first)) return false;
  const char* address = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(first));
  if (!address) return false;
  std::string local = AsciiLower(std::string_view(address).substr(0, std::string_view(address).find('@')));
  return local == "mailer-daemon" || local == "postmaster";
}

}  // namespace

BounceKind ClassifyBounce(std::string_view raw) {
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) return BounceKind::kFailure;
  DeliveryStatus status;
  g_mime_message_foreach(message.get(), VisitPart, &status);
  if (status.found) return status.failed ? BounceKind::kFailure : BounceKind::kDelay;
  const char* auto_submitted = g_mime_object_get_header(GMIME_OBJECT(message.get()), "Auto-Submitted");
  if (auto_submitted && AsciiLower(Trim(auto_submitted)).rfind("auto-replied", 0) == 0 && !FromMailSystem(message.get()))
    return BounceKind::kAutoReply;
  return BounceKind::kFailure;
}

}  // namespace rt
