#include "gateway/membership.h"

#include "accounts/tokens.h"
#include "gateway/list_addresses.h"
#include "util/clock.h"

namespace rt {

namespace {

constexpr std::int64_t kConfirmSeconds = 3 * 24 * 3600;

}  // namespace

std::string ConfirmAddress(const ListInfo& list, const MailSite& site, const std::string& token) {
  std::string posting = ListPostingAddress(list, site);
  std::size_t at = posting.find('@');
  return posting.substr(0, at) + "-confirm+" + token + posting.substr(at);
}

Status RequestMembershipChange(Store& store, const MailSite& site, const ListInfo& list, const std::string& address,
                               bool join, const std::string& dedup_key) {
  std::string token = NewToken();
  OneTimeToken t;
  t.token_hash = TokenHash(token);
  t.purpose = join ? "join" : "leave";
  t.address = address;
  t.forum = list.forum;
  t.list = list.name;
  t.detail = "each";
  if (join) {
    // Joining again (after bounces stopped the mail, say) keeps the delivery chosen before.
    Result<Subscription> current = store.FindSubscription(list.forum, list.name, address);
    if (current.ok())
      t.detail = current.value().mode == "digest" && current.value().digest_format == "plain" ? "digest-plain"
                                                                                            : current.value().mode;
    else if (current.status().code() != Status::Code::kNotFound) return current.status();
  }
  t.expires_at = UnixNow() + kConfirmSeconds;
  Status s = store.CreateToken(t);
  if (!s.ok()) return s;
  std::string what = join ? "join" : "leave";
  NoticeText notice;
  notice.to = address;
  notice.subject = "Confirm: " + what + " " + list.name;
  notice.reply_to = ConfirmAddress(list, site, token);
  notice.body = "Someone asked to " + what + " the list " + list.name + " with this address (" + address +
                ").\n\nTo confirm, reply to this message, or open this link:\n\n  " + site.base_url + "/confirm?t=" +
                token + "\n\nIf it was not you, ignore this message: nothing changes without a confirmation.\n";
  notice.dedup_key = dedup_key.empty() ? "" : what + ":" + list.forum + "/" + list.name + ":" + dedup_key;
  return QueueNoticeMail(store, site, notice);
}

Result<std::string> ConfirmMembershipChange(Store& store, const MailSite& site, const std::string& token) {
  std::string hash = TokenHash(token);
  bool join = true;
  Result<OneTimeToken> used = store.UseToken(hash, "join", UnixNow());
  if (!used.ok() && used.status().code() == Status::Code::kNotFound) {
    join = false;
    used = store.UseToken(hash, "leave", UnixNow());
  }
  if (!used.ok()) return used.status();
  const OneTimeToken& t = used.value();
  Status s = join ? store.Subscribe(t.forum, t.list, t.address, t.detail.empty() ? "each" : t.detail)
                  : store.Unsubscribe(t.forum, t.list, t.address);
  if (!s.ok()) return s;
  std::string done = join ? t.address + " is now subscribed to " + t.list + "."
                          : t.address + " has left " + t.list + ".";
  s = QueueNoticeMail(store, site, {t.address, (join ? "Welcome to " : "You have left ") + t.list, done + "\n", "", ""});
  if (!s.ok()) return s;
  return done;
}

}  // namespace rt
