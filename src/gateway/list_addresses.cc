#include "gateway/list_addresses.h"

#include "mail/list_message.h"

namespace rt {

std::string ListPostingAddress(const ListInfo& list, const MailSite& site) {
  return list.address.empty() ? list.name + "@" + site.domain : list.address;
}

std::string ListIdHeader(const ListInfo& list, const MailSite& site) {
  return EncodePhrase(list.description.empty() ? list.name : list.description) + " <" +
         ListIdOf(ListPostingAddress(list, site)) + ">";
}

}  // namespace rt
