#pragma once
// A list's addresses as mail shows them.

#include <string>

#include "gateway/notices.h"
#include "mail/list_message.h"
#include "store/archive_views.h"

namespace rt {

/// Where members post: the list's configured address, else NAME@<site mail domain>.
std::string ListPostingAddress(const ListInfo& list, const MailSite& site);

/// RFC 2919 List-Id value: "Description <policy.lists.example.org>" (ListIdOf the
/// posting address, as the list's outgoing copies say it).
std::string ListIdHeader(const ListInfo& list, const MailSite& site);

/// Who the list is in the mail it sends (mail/list_message.h).
ListIdentity IdentityOf(const ListInfo& list, const MailSite& site);

}  // namespace rt
