#pragma once
// Mail the site sends on its own behalf (verify an address, reset a password, claim an
// archived name, confirm joining or leaving a list): composed and queued in the
// outbound queue like any list mail, so it survives restarts and is retried.

#include <string>

#include "store/store.h"

namespace rt {

/// Who the site is in mail.
struct MailSite {
  std::string base_url = "http://127.0.0.1:8080";  ///< links in mail point here
  std::string domain = "localhost";                ///< Message-IDs of web posts and notices
  std::string from_address = "roundtable@localhost";  ///< sender of notices
  std::string name = "Roundtable";
};

struct NoticeText {
  std::string to;
  std::string subject;
  std::string body;       ///< plain text, UTF-8
  std::string reply_to;   ///< "" or an address whose reply confirms (list-confirm+TOKEN@)
  std::string dedup_key;  ///< "" or the Message-ID this notice answers
};

/// Composes the notice (Auto-Submitted: auto-generated, so robots do not answer) and
/// queues it for `text.to`.
Status QueueNoticeMail(Store& store, const MailSite& site, const NoticeText& text);

}  // namespace rt
