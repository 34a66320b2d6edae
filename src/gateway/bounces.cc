#include "gateway/bounces.h"

#include "gateway/list_addresses.h"

namespace rt {

Result<BounceScore> CountBounce(Store& store, const MailSite& site, const ListInfo& list, const std::string& address,
                                const BounceRules& rules, std::int64_t now) {
  Result<BounceScore> score = store.RecordBounce(list.id, address, rules, now);
  // Queued again (and kept once, by its key) on every later bounce, so a notice whose
  // queueing failed after the disabling committed still goes with the MTA's retry.
  if (!score.ok() || score.value().disabled_at == 0) return score;
  std::string posting = ListPostingAddress(list, site);
  std::size_t at = posting.find('@');
  NoticeText notice;
  notice.to = address;
  notice.subject = "Delivery of " + list.name + " to you is suspended";
  notice.body = "Mail from the list " + list.name + " to this address (" + address + ") came back undelivered on " +
                std::to_string(score.value().bounces) +
                " days, so the list has stopped sending to it. Nothing else changed: the archive and your account "
                "are as they were.\n\nTo receive the list again, write to " +
                posting.substr(0, at) + "-join" + posting.substr(at) + " and confirm, or subscribe again at\n\n  " +
                IdentityOf(list, site).archive_url + "subscribe\n";
  std::string key = std::to_string(list.id) + ":" + address + ":" + std::to_string(score.value().disabled_at);
  notice.dedup_key = "disabled:" + key;
  Status queued = QueueNoticeMail(store, site, notice);
  if (!queued.ok()) return queued;
  // The list's moderators hear of it too, as Mailman tells a list's owners.
  Result<std::vector<std::string>> moderators = store.ModeratorAddresses(list.forum, list.name);
  if (!moderators.ok()) return moderators.status();
  for (const std::string& moderator : moderators.value()) {
    queued = QueueNoticeMail(store, site,
                             {moderator, "Delivery of " + list.name + " to " + address + " is suspended",
                              "Mail from the list " + list.name + " to " + address + " came back undelivered on " +
                                  std::to_string(score.value().bounces) +
                                  " days, so the list has stopped sending to it. The subscriber was told how to "
                                  "join again.\n",
                              "", "disabled-moderator:" + key + ":" + moderator});
    if (!queued.ok()) return queued;
  }
  return score;
}

}  // namespace rt
