#include "mime/compose.h"

#include <gmime/gmime.h>

#include "accounts/tokens.h"
#include "mime/gobject_ptr.h"

namespace rt {

namespace {

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool IsAddress(std::string_view a) {
  std::size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos;
}

GMimeObject* TextPart(const std::string& text) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype("plain");
  g_mime_text_part_set_text(part, text.c_str());  // sets charset utf-8 when needed
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT(part);
}

GMimeObject* AttachmentPart(const OutgoingAttachment& a) {
  GPtr<GMimeContentType> type(g_mime_content_type_parse(nullptr, a.content_type.c_str()));
  GMimePart* part = g_mime_part_new_with_type(type ? g_mime_content_type_get_media_type(type.get()) : "application",
                                              type ? g_mime_content_type_get_media_subtype(type.get()) : "octet-stream");
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(a.data.data(), a.data.size()));
  GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.get());
  g_mime_part_set_filename(part, a.filename.c_str());
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT(part);
}

}  // namespace

Result<std::string> ComposeMessage(const OutgoingMessage& m) {
  for (std::string_view v : {std::string_view(m.from_name), std::string_view(m.subject), std::string_view(m.message_id)})
    if (HasLineBreak(v)) return Status::InvalidArgument("a header value may not contain a line break");
  for (const auto& [name, value] : m.extra_headers)
    if (HasLineBreak(name) || HasLineBreak(value)) return Status::InvalidArgument("a header may not contain a line break");
  if (!IsAddress(m.from_address)) return Status::InvalidArgument("\"" + m.from_address + "\" is not an email address");
  for (const std::string& to : m.to)
    if (!IsAddress(to)) return Status::InvalidArgument("\"" + to + "\" is not an email address");
  if (!m.reply_to.empty() && !IsAddress(m.reply_to))
    return Status::InvalidArgument("\"" + m.reply_to + "\" is not an email address");
  std::string refs;
  for (const std::string& r : m.references) {
    if (HasLineBreak(r) || r.find_first_of("<> ") != std::string::npos)
      return Status::InvalidArgument("\"" + r + "\" is not a Message-ID");
    refs += (refs.empty() ? "<" : " <") + r + ">";
  }

  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, m.from_name.c_str(), m.from_address.c_str());
  for (const std::string& to : m.to) g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, to.c_str());
  if (!m.reply_to.empty())
    g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, nullptr, m.reply_to.c_str());
  g_mime_message_set_subject(message.get(), m.subject.c_str(), "utf-8");
  g_mime_message_set_message_id(message.get(), m.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(m.date);
  g_mime_message_set_date(message.get(), date);
  g_date_time_unref(date);
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  if (!m.references.empty()) {
    g_mime_header_list_set(headers, "In-Reply-To", ("<" + m.references.back() + ">").c_str(), nullptr);
    g_mime_header_list_set(headers, "References", refs.c_str(), nullptr);
  }
  for (const auto& [name, value] : m.extra_headers) g_mime_header_list_append(headers, name.c_str(), value.c_str(), "utf-8");

  GPtr<GMimeObject> text(TextPart(m.text));
  if (m.attachments.empty()) {
    g_mime_message_set_mime_part(message.get(), text.get());
  } else {
    GPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_add(mixed.get(), text.get());
    for (const OutgoingAttachment& a : m.attachments) {
      GPtr<GMimeObject> part(AttachmentPart(a));
      g_mime_multipart_add(mixed.get(), part.get());
    }
    g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(mixed.get()));
  }
  GMimeFormatOptions* format = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(GMIME_OBJECT(message.get()), format);
  g_mime_format_options_free(format);
  std::string out(bytes);
  g_free(bytes);
  return out;
}

std::string NewMessageId(std::string_view domain) {
  std::string token = NewToken();
  return token.substr(0, 24) + "@" + std::string(domain);
}

}  // namespace rt
