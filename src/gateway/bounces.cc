#include "gateway/bounces.h"

#include "gateway/list_addresses.h"

namespace rt {

Result<BounceScore> CountBounce(Store& store, const MailSite& site, const ListInfo& list, const std::string& address,
                                const BounceRules& rules, std::int64_t now) {
  Result<BounceScore> score = store.RecordBounce(list.id, address, rules, now);
  // Queued again (and kept once, by its key) on every later bounce, so a notice whose
  // queueing failed after the disabling committed still goes with the MTA's retry.
  if (!score.ok() || score.value().disabled_at == 0) return score;
  // What both the subscriber and the moderators read.
  std::string stopped = "Mail from the list " + list.name + " to " + address + " came back undelivered on " +
                        std::to_string(score.value().bounces) + " days, so the list has stopped sending to it.";
  std::string key = std::to_string(list.id) + ":" + address + ":" + std::to_string(score.value().disabled_at);
  Status queued = QueueNoticeMail(
      store, site,
      {address, "Delivery of " + list.name + " to you is suspended",
       stopped + " Nothing else changed: the archive and your account are as they were.\n\nTo receive the list "
                 "again, write to " +
           RoleAddress(ListPostingAddress(list, site), "join") + " and confirm, or subscribe again at\n\n  " +
           IdentityOf(list, site).archive_url + "subscribe\n",
       "", "disabled:" + key});
  if (!queued.ok()) return queued;
  // The list's moderators hear of it too, as Mailman tells a list's owners.
  Result<std::vector<std::string>> moderators = store.ModeratorAddresses(list.forum, list.name);
  if (!moderators.ok()) return moderators.status();
  for (const std::string& moderator : moderators.value()) {
    queued = QueueNoticeMail(store, site,
                             {moderator, "Delivery of " + list.name + " to " + address + " is suspended",
                              stopped + " The subscriber was told how to join again.\n", "",
                              "disabled-moderator:" + key + ":" + moderator});
    if (!queued.ok()) return queued;
  }
  return score;
}

}  // namespace rt
