// The secretariat's commands for participation: accounts, roles, lists, subscriptions.

#include <boost/json.hpp>

#include <cctype>
#include <ctime>
#include <iostream>

#include "accounts/password.h"
#include "cli/commands.h"
#include "cli/mail_site.h"
#include "cli/open_store.h"
#include "cli/terminal_text.h"
#include "gateway/digest_job.h"
#include "people/address.h"

namespace rt {

namespace {

// A normalised address, or InvalidArgument naming what was given.
Result<std::string> EmailArgument(const std::string& text) {
  std::string email = NormalizeAddress(text);
  std::size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos)
    return Status::InvalidArgument("\"" + text + "\" is not an email address");
  return email;
}

int AddUser(Store& store, const UserArgs& args) {
  Result<std::string> email = EmailArgument(args.email);
  if (!email.ok()) return ReportFailure(email.status());
  if (!args.country.empty() &&
      (args.country.size() != 2 || !std::isupper(static_cast<unsigned char>(args.country[0])) ||
       !std::isupper(static_cast<unsigned char>(args.country[1]))))
    return ReportFailure(Status::InvalidArgument("--country takes an ISO 3166 code such as KE or BR"));
  NewUser user;
  user.email = email.value();
  user.display_name = args.name;
  user.stakeholder_group = args.group;
  user.country = args.country;
  user.affiliation = args.affiliation;
  user.languages = args.languages;
  user.email_verified = args.verified;
  if (args.password_stdin) {
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    Result<std::string> hash = HashPassword(password);
    if (!hash.ok()) return ReportFailure(hash.status());
    user.password_hash = hash.value();
  }
  Result<std::int64_t> id = store.AddUser(user);
  if (!id.ok()) return ReportFailure(id.status());
  std::cout << "added " << user.email << " (account " << id.value() << ")\n";
  return kExitOk;
}

int ListUsers(Store& store, bool json) {
  Result<std::vector<UserInfo>> users = store.Users();
  if (!users.ok()) return ReportFailure(users.status());
  for (const UserInfo& u : users.value()) {
    if (json) {
      boost::json::array roles;
      for (const RoleGrant& r : u.roles)
        roles.push_back(boost::json::object{{"role", r.role}, {"forum", r.forum}, {"list", r.list}});
      std::cout << boost::json::serialize(boost::json::object{
                       {"id", u.id}, {"email", u.email}, {"display_name", u.display_name},
                       {"stakeholder_group", u.stakeholder_group}, {"group_verified", u.group_verified},
                       {"country", u.country}, {"affiliation", u.affiliation}, {"email_verified", u.email_verified},
                       {"has_password", u.has_password}, {"roles", std::move(roles)}})
                << '\n';
      continue;
    }
    std::cout << TerminalText(u.email) << "  " << (u.display_name.empty() ? "-" : TerminalText(u.display_name)) << "  "
              << u.stakeholder_group << (u.email_verified ? "" : "  (unverified)");
    for (const RoleGrant& r : u.roles) std::cout << "  " << r.role << ":" << r.forum << (r.list.empty() ? "" : "/" + r.list);
    std::cout << '\n';
  }
  return kExitOk;
}

}  // namespace

int RunUser(const UserArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, args.action != "add");
  if (!store) return kExitDatabase;
  if (args.action == "add") return AddUser(*store, args);
  if (args.action == "list") return ListUsers(*store, args.json);
  Result<std::string> email = EmailArgument(args.email);
  if (!email.ok()) return ReportFailure(email.status());
  if (args.action == "verify") {
    Status s = store->SetGroupVerified(email.value(), !args.remove);
    if (!s.ok()) return ReportFailure(s);
    std::cout << email.value() << ": stakeholder group " << (args.remove ? "no longer verified" : "verified") << '\n';
    return kExitOk;
  }
  Status s = store->SetRole(email.value(), {args.role, args.forum, args.list}, !args.remove);
  if (!s.ok()) return ReportFailure(s);
  std::cout << email.value() << ": " << (args.remove ? "no longer " : "") << args.role << " of " << args.forum
            << (args.list.empty() ? "" : "/" + args.list) << '\n';
  return kExitOk;
}

int RunList(const ListArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, args.action != "create");
  if (!store) return kExitDatabase;
  ListSettings settings{args.address, args.description, args.moderated};
  if (settings.address && !settings.address->empty()) {
    Result<std::string> address = EmailArgument(*settings.address);
    if (!address.ok()) return ReportFailure(address.status());
    settings.address = address.value();
  }
  Status s = args.action == "create" ? store->CreateList(args.forum, args.name, settings)
                                     : store->UpdateList(args.forum, args.name, settings);
  if (!s.ok()) return ReportFailure(s);
  std::cout << (args.action == "create" ? "created " : "updated ") << args.forum << "/" << args.name << '\n';
  return kExitOk;
}

int RunSubscribe(const SubscribeArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  Result<std::string> address = EmailArgument(args.address);
  if (!address.ok()) return ReportFailure(address.status());
  Status s = store->Subscribe(args.forum, args.list, address.value(), args.mode);
  if (!s.ok()) return ReportFailure(s);
  std::cout << address.value() << " subscribed to " << args.forum << "/" << args.list << " (" << args.mode << ")\n";
  return kExitOk;
}

int RunDigest(const DigestArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  Result<int> queued = QueueDueDigests(*store, MailSiteFor(args.public_url, args.mail_domain, ""), now, now + 1);
  if (!queued.ok()) return ReportFailure(queued.status());
  std::cout << queued.value() << (queued.value() == 1 ? " digest" : " digests") << " queued\n";
  return kExitOk;
}

}  // namespace rt
