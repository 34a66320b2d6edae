#pragma once
// Who the site is in the mail it sends, from the command line's options.

#include <string>

#include "gateway/notices.h"

namespace rt {

/// `mail_domain` defaults to the host of `base_url`, `site_address` to
/// roundtable@MAIL_DOMAIN.
MailSite MailSiteFor(const std::string& base_url, const std::string& mail_domain, const std::string& site_address);

}  // namespace rt
