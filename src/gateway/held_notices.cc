#include "gateway/held_notices.h"

namespace rt {

Status QueueHeldNotices(Store& store, const MailSite& site, const HeldMessage& held, bool author_is_known) {
  std::string key = held.forum + "/" + held.list + ":" + held.message_id;
  std::string queue_url = site.base_url + "/f/" + held.forum + "/moderation";
  Result<std::vector<std::string>> moderators = store.ModeratorAddresses(held.forum, held.list);
  if (!moderators.ok()) return moderators.status();
  for (const std::string& moderator : moderators.value()) {
    NoticeText notice;
    notice.to = moderator;
    notice.subject = "Held for moderation in " + held.list + ": " + held.subject;
    notice.body = "A post to " + held.list + " waits for a moderator.\n\nFrom: " + held.sender + "\nSubject: " +
                  held.subject + "\nReason: " + held.reason + "\n\nApprove or reject it at:\n\n  " + queue_url + "\n";
    notice.dedup_key = "held-moderator:" + key + ":" + moderator;
    Status s = QueueNoticeMail(store, site, notice);
    if (!s.ok()) return s;
  }
  if (!author_is_known) return Status::Ok();
  NoticeText author;
  author.to = held.sender;
  author.subject = "Your post to " + held.list + " waits for a moderator";
  author.body = "Your post \"" + held.subject + "\" to " + held.list +
                " waits for a moderator (" + held.reason + "). It appears in the archive and goes out by mail once "
                "approved; you will hear if it is not.\n";
  author.dedup_key = "held-author:" + key;
  return QueueNoticeMail(store, site, author);
}

}  // namespace rt
