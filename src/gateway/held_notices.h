#pragma once
// When a post is held, the people who decide hear of it (the list's moderators and the
// secretariat, with a link to the queue), and so does its author when the list knows
// them (a subscriber or an account): strangers get no answer, so forged senders get no
// backscatter. Queued once per held post, however often the MTA retries.

#include "gateway/notices.h"
#include "store/store.h"

namespace rt {

Status QueueHeldNotices(Store& store, const MailSite& site, const HeldMessage& held, bool author_is_known);

}  // namespace rt
