#pragma once
// Joining and leaving a list by mail or by link, with a confirmation round trip so no
// one can subscribe someone else: the request mails a one-time token to the address;
// replying to list-confirm+TOKEN@ or opening the link carries it out.

#include <string>

#include "gateway/notices.h"
#include "store/store.h"

namespace rt {

/// Mails `address` a confirmation for joining (`join`) or leaving `list`. `dedup_key`
/// ("" or the request's Message-ID) keeps an MTA's retry from mailing twice.
Status RequestMembershipChange(Store& store, const MailSite& site, const ListInfo& list, const std::string& address,
                               bool join, const std::string& dedup_key);

/// Carries out a confirmation token; returns a sentence for the person. NotFound for a
/// token that is unknown, used or expired.
Result<std::string> ConfirmMembershipChange(Store& store, const MailSite& site, const std::string& token);

/// The address that confirms by reply: policy-confirm+TOKEN@domain.
std::string ConfirmAddress(const ListInfo& list, const MailSite& site, const std::string& token);

}  // namespace rt
