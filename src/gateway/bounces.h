#pragma once
// Failed deliveries, whether the relay refused a copy (a 5xx) or mail came back to the
// subscriber's VERP address later: scored by the store's rules (Mailman 3's), and the
// subscriber told, once, when delivery stops and how to resume it.

#include <cstdint>
#include <string>

#include "gateway/notices.h"
#include "store/store.h"

namespace rt {

/// Records a failed delivery to `address` on `list` at `now` (Store::RecordBounce). While
/// bounces keep the subscription disabled, also queues (once per disabling) a notice to
/// the address saying so and how to join again (the address may be back by then, and a
/// bounce of the notice goes to the site's address, not to the list's VERP one), and one
/// to each of the list's moderators.
Result<BounceScore> CountBounce(Store& store, const MailSite& site, const ListInfo& list, const std::string& address,
                                const BounceRules& rules, std::int64_t now);

}  // namespace rt
