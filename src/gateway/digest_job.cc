#include "gateway/digest_job.h"

#include <ctime>

#include "gateway/list_addresses.h"
#include "mail/digest.h"

namespace rt {

namespace {

int YearOf(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

}  // namespace

std::int64_t LastDigestTime(std::int64_t now, int hour) {
  std::int64_t day = now - now % 86400;
  std::int64_t at = day + hour * 3600;
  return at <= now ? at : at - 86400;
}

Result<int> QueueDueDigests(Store& store, const MailSite& site, std::int64_t now, std::int64_t sent_before) {
  Result<std::vector<DigestDue>> due = store.DigestsDue(sent_before);
  if (!due.ok()) return due.status();
  int queued = 0;
  for (const DigestDue& d : due.value()) {
    Result<ListInfo> list = store.ListById(d.list_id);
    if (!list.ok()) return list.status();
    ListIdentity identity = IdentityOf(list.value(), site);
    // Mailman's numbering: a volume a year, issues counted within it.
    int volume = YearOf(now), number = d.volume == volume ? d.number : 0;
    std::int64_t last = d.last_message;
    for (;;) {
      Result<std::vector<DigestPost>> posts = store.DigestPosts(d.list_id, last, kMaxDigestPosts);
      if (!posts.ok()) return posts.status();
      if (posts.value().empty()) break;
      std::vector<DigestEntry> entries;
      for (const DigestPost& p : posts.value()) entries.push_back({p.raw, p.from, p.subject, p.date});
      DigestIssue issue{volume, ++number, now, ""};
      Result<std::string> mime = MimeDigest(identity, issue, entries);
      if (!mime.ok()) return mime.status();
      Result<std::string> plain = PlainDigest(identity, issue, entries);
      if (!plain.ok()) return plain.status();
      QueuedDigest digest{d.list_id, last, posts.value().back().id, volume, number, std::move(mime.value()),
                          std::move(plain.value()), RoleAddress(identity.address, "bounces")};
      Status s = store.QueueDigest(digest);
      if (!s.ok()) return s;
      last = digest.last_message;
      ++queued;
      if (static_cast<int>(posts.value().size()) < kMaxDigestPosts) break;
    }
  }
  return queued;
}

}  // namespace rt
