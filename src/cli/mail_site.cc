#include "cli/mail_site.h"

namespace rt {

MailSite MailSiteFor(const std::string& base_url, const std::string& mail_domain, const std::string& site_address) {
  MailSite site;
  site.base_url = base_url;
  std::size_t scheme = base_url.find("://");
  std::string host = base_url.substr(scheme == std::string::npos ? 0 : scheme + 3);
  host = host.substr(0, host.find_first_of(":/"));
  if (!host.empty() && host.front() == '[') host = "localhost";  // an IPv6 literal is no mail domain
  site.domain = !mail_domain.empty() ? mail_domain : host.empty() ? "localhost" : host;
  site.from_address = !site_address.empty() ? site_address : "roundtable@" + site.domain;
  return site;
}

}  // namespace rt
