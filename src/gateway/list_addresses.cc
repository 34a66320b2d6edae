#include "gateway/list_addresses.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/pchars.hpp>

namespace rt {

std::string ListPostingAddress(const ListInfo& list, const MailSite& site) {
  return list.address.empty() ? list.name + "@" + site.domain : list.address;
}

std::string ListIdHeader(const ListInfo& list, const MailSite& site) {
  return EncodePhrase(list.description.empty() ? list.name : list.description) + " <" +
         ListIdOf(ListPostingAddress(list, site)) + ">";
}

ListIdentity IdentityOf(const ListInfo& list, const MailSite& site) {
  auto segment = [](const std::string& s) { return boost::urls::encode(s, boost::urls::pchars); };
  ListIdentity identity;
  identity.list_name = list.name;
  identity.forum = list.forum;
  identity.address = ListPostingAddress(list, site);
  identity.description = list.description;
  identity.base_url = site.base_url;
  identity.archive_url = site.base_url + "/f/" + segment(list.forum) + "/l/" + segment(list.name) + "/";
  return identity;
}

}  // namespace rt
