#include "gateway/notices.h"

#include <ctime>

#include "mime/compose.h"

namespace rt {

Status QueueNoticeMail(Store& store, const MailSite& site, const NoticeText& text) {
  OutgoingMessage m;
  m.from_name = site.name;
  m.from_address = site.from_address;
  m.to = {text.to};
  m.reply_to = text.reply_to;
  m.subject = text.subject;
  m.message_id = NewMessageId(site.domain);
  m.date = static_cast<std::int64_t>(std::time(nullptr));
  // RFC 3834: no vacation replies or loops to a robot's mail.
  m.extra_headers = {{"Auto-Submitted", "auto-generated"}, {"Precedence", "bulk"}};
  m.text = text.body;
  Result<std::string> raw = ComposeMessage(m);
  if (!raw.ok()) return raw.status();
  Notice notice;
  notice.dedup_key = text.dedup_key;
  notice.envelope_from = site.from_address;
  notice.recipients = {text.to};
  notice.raw = std::move(raw.value());
  return store.QueueNotice(notice);
}

}  // namespace rt
