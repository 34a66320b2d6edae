#pragma once
// Daily digests: for each list whose digest subscribers are owed one, the posts since
// the last digest in both forms (MIME and plain), queued in one transaction with the
// list's digest mark, so a crash or a second server never sends an issue twice.

#include <cstdint>

#include "gateway/notices.h"
#include "store/store.h"

namespace rt {

/// Most posts one digest carries; more make several issues at once.
constexpr int kMaxDigestPosts = 200;

/// Queues the digests of lists whose last digest went before `sent_before` (pass a time
/// after `now` to force them). How many digests were queued.
Result<int> QueueDueDigests(Store& store, const MailSite& site, std::int64_t now, std::int64_t sent_before);

/// The latest `hour`:00 UTC at or before `now`: digests go once a day from then on.
std::int64_t LastDigestTime(std::int64_t now, int hour);

}  // namespace rt
