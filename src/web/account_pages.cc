// Accounts on the web: sign up with a verified address, sign in and out (here or
// everywhere), reset a password, edit the profile, claim an archived address, close the
// account. Every link sent by mail is a one-time token whose hash the store keeps.

#include "accounts/password.h"
#include "accounts/tokens.h"
#include "people/address.h"
#include "people/countries.h"
#include "util/clock.h"
#include "web/form_page.h"

namespace rt {

namespace {

constexpr std::int64_t kVerifySeconds = 7 * 24 * 3600;
constexpr std::int64_t kResetSeconds = 3600;
constexpr std::int64_t kClaimSeconds = 24 * 3600;
constexpr int kResetMailsPerHour = 10;
constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxProfileFieldBytes = 500;

std::string Field(const PageContext& ctx, const char* name) { return ctx.form ? ctx.form->Get(name) : ""; }

// Whether `key` ("reset:ADDRESS") is past `per_hour`; `count` adds this attempt.
Result<bool> TooManyAttempts(const PageContext& ctx, const std::string& key, int per_hour, bool count = true) {
  Result<int> before = count ? ctx.store.CountEvent(key, UnixNow(), kRateWindowSeconds)
                             : ctx.store.RecentEvents(key, UnixNow(), kRateWindowSeconds);
  if (!before.ok()) return before.status();
  return before.value() >= per_hour;
}

struct AttemptLimit {
  std::string key;
  int per_hour;
  std::string refusal;  // what the person is told once it is reached
};

// Failed sign-ins count per address from one client (someone guessing), per address from
// all clients (guesses spread over many) and per client whatever the address (trying
// leaked passwords). A stranger failing on purpose then locks an address out for their
// own client only, unless they spread a hundred failures an hour over many clients. A
// whole meeting venue may share one address: its limit is high enough for their typos.
std::vector<AttemptLimit> SignInLimits(const PageContext& ctx, const std::string& email) {
  std::string for_address = ctx.T("Too many attempts for this address. Wait an hour, or reset your password.");
  return {{"signin:" + email + " from " + ctx.client_key, 10, for_address},
          {"signin:" + email, 100, for_address},
          {"signin-from:" + ctx.client_key, 1000,
           ctx.T("Too many failed sign-ins from your network. Wait an hour, then try again.")}};
}

// The first of `limits` that is reached, or null; `count` adds this attempt to each.
Result<const AttemptLimit*> ReachedLimit(const PageContext& ctx, const std::vector<AttemptLimit>& limits, bool count) {
  const AttemptLimit* reached = nullptr;
  for (const AttemptLimit& limit : limits) {
    Result<bool> past = TooManyAttempts(ctx, limit.key, limit.per_hour, count);
    if (!past.ok()) return past.status();
    if (past.value() && !reached) reached = &limit;
  }
  return reached;
}

// A mailed link that proves control of `address`.
Status MailToken(const PageContext& ctx, const std::string& purpose, std::int64_t user_id, const std::string& address,
                 std::int64_t lifetime, const std::string& path, const std::string& subject, const std::string& intro) {
  std::string token = NewToken();
  OneTimeToken t;
  t.token_hash = TokenHash(token);
  t.purpose = purpose;
  t.user_id = user_id;
  t.address = address;
  t.expires_at = UnixNow() + lifetime;
  Status s = ctx.store.CreateToken(t);
  if (!s.ok()) return s;
  std::string link = ctx.site->mail.base_url + path + "?t=" + token;
  std::string body = intro + "\n\n  " + link + "\n\n" +
                     ctx.T("If you did not ask for this, ignore this message: nothing happens without the link.") + "\n";
  return QueueNoticeMail(ctx.store, ctx.site->mail, {address, subject, body, "", ""});
}

Status MailVerification(const PageContext& ctx, std::int64_t user_id, const std::string& address) {
  return MailToken(ctx, "verify", user_id, address, kVerifySeconds, "/verify", ctx.T("Confirm your address"),
                   ctx.T("Open this link to confirm your address and finish signing up:"));
}

// Signs the account in: a new session, its cookie, and a redirect.
Result<Page> StartSession(const PageContext& ctx, std::int64_t user_id, std::string location) {
  std::string token = NewToken();
  Status s = ctx.store.CreateSession(TokenHash(token), user_id, UnixNow() + kSessionSeconds);
  if (!s.ok()) return s;
  return SeeOther(std::move(location), SessionCookie(token, ctx.site->secure_cookies));
}

std::vector<std::pair<std::string, std::string>> CountryOptions(const PageContext& ctx) {
  std::vector<std::pair<std::string, std::string>> options = {{"", ctx.T("Not declared")}};
  for (const Country& c : Countries())
    options.emplace_back(std::string(c.code), std::string(c.name));
  return options;
}

// What a password is checked against when there is no account: a hash of a password no
// one knows, so an unknown address costs as long as a wrong password and the time taken
// tells no one who has an account.
const std::string& NobodysHash() {
  static const std::string hash = [] {
    Result<std::string> h = HashPassword(NewToken());
    return h.ok() ? h.value() : std::string();
  }();
  return hash;
}

std::string SafeBack(const PageContext& ctx) {
  std::string back = ctx.form ? ctx.form->Get("back") : ctx.url.Param("back");
  return IsSafeBackPath(back) ? back : "/account";
}

}  // namespace

Page SeeOther(std::string location, std::string set_cookie) {
  Page page;
  page.status = 303;
  page.content_type = "";
  page.cacheable = false;
  page.headers.emplace_back("Location", std::move(location));
  if (!set_cookie.empty()) page.headers.emplace_back("Set-Cookie", std::move(set_cookie));
  return page;
}

Result<Page> SignUpPage(const PageContext& ctx) {
  FormPageSpec spec;
  spec.title = ctx.T("Sign up");
  spec.intro = ctx.T("Anyone may take part. Say who you speak for: posts show it beside your name.");
  std::string email = NormalizeAddress(Field(ctx, "email")), name = Field(ctx, "name");
  std::string group = Field(ctx, "group"), country = Field(ctx, "country");
  if (ctx.form) {
    std::string password = Field(ctx, "password");
    Status problem = Status::Ok();
    if (email.find('@') == std::string::npos) problem = Status::InvalidArgument(ctx.T("Enter your email address."));
    else if (name.empty() || name.size() > kMaxNameBytes)
      problem = Status::InvalidArgument(ctx.T("Enter the name to show beside your posts."));
    else if (!CheckPassword(password).ok())
      problem = Status::InvalidArgument(ctx.T("Choose a password of at least 10 characters."));
    else if (!country.empty() && !FindCountry(country))
      problem = Status::InvalidArgument(ctx.T("Choose a country from the list."));
    if (problem.ok()) {
      // Hashed whether or not the address has an account: the time taken tells no one.
      Result<std::string> hash = HashPassword(password);
      if (!hash.ok()) return hash.status();
      Result<UserInfo> existing = ctx.store.UserByEmail(email);
      if (existing.ok()) {
        // Say the same as for a new account, so the form tells no one who has one; the
        // owner of the address learns what happened.
        Status s = QueueNoticeMail(ctx.store, ctx.site->mail,
                                   {email, ctx.T("You already have an account"),
                                    ctx.T("Someone tried to sign up with this address, which already has an account. "
                                          "If it was you, sign in or reset your password:") +
                                        "\n\n  " + ctx.site->mail.base_url + "/reset\n",
                                    "", ""});
        if (!s.ok()) return s;
      } else {
        NewUser user;
        user.email = email;
        user.display_name = name;
        user.password_hash = hash.value();
        user.stakeholder_group = group.empty() ? "unknown" : group;
        if (const Country* c = FindCountry(country)) user.country = std::string(c->code);
        Result<std::int64_t> id = ctx.store.AddUser(user);
        if (!id.ok()) {
          if (id.status().code() != Status::Code::kInvalidArgument) return id.status();
          problem = id.status();
        } else {
          Status s = MailVerification(ctx, id.value(), email);
          if (!s.ok()) return s;
        }
      }
      if (problem.ok()) {
        FormPageSpec sent;
        sent.title = ctx.T("Check your mail");
        sent.notice = FillPlaceholder(ctx.T("We sent a link to {address}. Open it to confirm your address."),
                                      "{address}", email);
        return RenderFormPage(ctx, sent);
      }
    }
    spec.error = problem.message();
    spec.status = 400;
  }
  FormSpec form;
  form.action = "/signup";
  form.submit = ctx.T("Sign up");
  form.fields = {
      FormField("email", ctx.T("Email address"), "email").Value(email).Autocomplete("email").Required(),
      FormField("name", ctx.T("Name shown with your posts")).Value(name).Autocomplete("name").Required(),
      FormField("password", ctx.T("Password"), "password")
          .Help(ctx.T("At least 10 characters."))
          .Autocomplete("new-password")
          .Required(),
      FormField("group", ctx.T("Stakeholder group"), "select")
          .Value(group)
          .Help(ctx.T("Who you speak for here. The secretariat may verify it."))
          .Options(GroupOptions(ctx)),
      FormField("country", ctx.T("Country"), "select").Value(country).Options(CountryOptions(ctx)),
  };
  spec.forms.push_back(std::move(form));
  spec.links = {{ctx.T("Already have an account? Sign in"), "/signin"}};
  return RenderFormPage(ctx, spec);
}

Result<Page> VerifyAddressPage(const PageContext& ctx) {
  std::string token = LinkToken(ctx);
  if (ctx.form) {
    Result<OneTimeToken> used = ctx.store.UseToken(TokenHash(token), "verify", UnixNow());
    if (!used.ok()) {
      if (used.status().code() != Status::Code::kNotFound) return used.status();
      FormPageSpec spec;
      spec.title = ctx.T("Confirm your address");
      spec.error = ctx.T("This link is unknown, expired or already used. Sign in to get a new one.");
      spec.status = 400;
      spec.links = {{ctx.T("Sign in"), "/signin"}};
      return RenderFormPage(ctx, spec);
    }
    Status s = ctx.store.MarkEmailVerified(used.value().user_id);
    if (!s.ok()) return s;
    return StartSession(ctx, used.value().user_id, "/account?welcome=1");
  }
  return ConfirmButtonPage(ctx, ctx.T("Confirm your address"), "/verify", ctx.T("Confirm my address"));
}

Result<Page> SignInPage(const PageContext& ctx) {
  FormPageSpec spec;
  spec.title = ctx.T("Sign in");
  std::string email = NormalizeAddress(Field(ctx, "email"));
  if (ctx.form) {
    spec.status = 400;
    // Only failures count: signing in often is no attack.
    std::vector<AttemptLimit> limits = SignInLimits(ctx, email);
    Result<const AttemptLimit*> reached = ReachedLimit(ctx, limits, false);
    if (!reached.ok()) return reached.status();
    if (reached.value()) {
      spec.error = reached.value()->refusal;
      spec.status = 429;
    } else {
      Result<UserInfo> user = ctx.store.UserByEmail(email);
      if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
      std::string stored_hash;
      if (user.ok() && !user.value().deleted) {
        // The hash itself is not in UserInfo; VerifyPassword runs against the account's.
        Result<std::string> h = ctx.store.PasswordHash(user.value().id);
        if (!h.ok()) return h.status();
        stored_hash = h.value();
      }
      // Checked in every case (against nobody's hash when there is none), so an unknown
      // address answers as slowly as a wrong password.
      bool matches = VerifyPassword(Field(ctx, "password"), stored_hash.empty() ? NobodysHash() : stored_hash) &&
                     !stored_hash.empty();
      if (!user.ok() || user.value().deleted || !matches) {
        spec.error = ctx.T("That address and password do not match an account.");
        if (Result<const AttemptLimit*> counted = ReachedLimit(ctx, limits, true); !counted.ok()) return counted.status();
      } else if (!user.value().email_verified) {
        Status s = MailVerification(ctx, user.value().id, email);
        if (!s.ok()) return s;
        spec.error = ctx.T("Confirm your address first: we sent you a new link.");
      } else {
        return StartSession(ctx, user.value().id, SafeBack(ctx));
      }
    }
  }
  FormSpec form;
  form.action = "/signin";
  form.submit = ctx.T("Sign in");
  std::string back = ctx.form ? Field(ctx, "back") : ctx.url.Param("back");
  if (IsSafeBackPath(back)) form.hidden = {{"back", back}};
  form.fields = {
      FormField("email", ctx.T("Email address"), "email").Value(email).Autocomplete("email").Required(),
      FormField("password", ctx.T("Password"), "password").Autocomplete("current-password").Required(),
  };
  spec.forms.push_back(std::move(form));
  spec.links = {{ctx.T("Forgot your password?"), "/reset"}, {ctx.T("New here? Sign up"), "/signup"}};
  return RenderFormPage(ctx, spec);
}

Result<Page> SignOut(const PageContext& ctx) {
  if (!ctx.visitor->session_hash.empty()) {
    Status s = ctx.store.EndSession(ctx.visitor->session_hash);
    if (!s.ok()) return s;
  }
  return SeeOther("/", EndSessionCookie(ctx.site->secure_cookies));
}

Result<Page> PasswordResetPage(const PageContext& ctx) {
  FormPageSpec spec;
  spec.title = ctx.T("Reset your password");
  if (ctx.form) {
    std::string email = NormalizeAddress(Field(ctx, "email"));
    Result<UserInfo> user = ctx.store.UserByEmail(email);
    Result<bool> too_many = TooManyAttempts(ctx, "reset:" + email, kResetMailsPerHour);
    if (!too_many.ok()) return too_many.status();
    if (user.ok() && !user.value().deleted && !too_many.value()) {
      Status s = MailToken(ctx, "reset", user.value().id, email, kResetSeconds, "/reset/new",
                           ctx.T("Reset your password"), ctx.T("Open this link within an hour to choose a new password:"));
      if (!s.ok()) return s;
    } else if (!user.ok() && user.status().code() != Status::Code::kNotFound) {
      return user.status();
    }
    // The same answer whether or not there is an account.
    spec.notice = FillPlaceholder(ctx.T("If {address} has an account, a link to reset its password is on its way."),
                                  "{address}", email);
    return RenderFormPage(ctx, spec);
  }
  FormSpec form;
  form.action = "/reset";
  form.submit = ctx.T("Send me a link");
  form.fields = {FormField("email", ctx.T("Email address"), "email").Autocomplete("email").Required()};
  spec.forms.push_back(std::move(form));
  return RenderFormPage(ctx, spec);
}

Result<Page> NewPasswordPage(const PageContext& ctx) {
  FormPageSpec spec;
  spec.title = ctx.T("Choose a new password");
  std::string token = LinkToken(ctx);
  if (ctx.form) {
    std::string password = Field(ctx, "password");
    if (!CheckPassword(password).ok()) {
      spec.error = ctx.T("Choose a password of at least 10 characters.");
      spec.status = 400;
    } else {
      Result<OneTimeToken> used = ctx.store.UseToken(TokenHash(token), "reset", UnixNow());
      if (!used.ok()) {
        if (used.status().code() != Status::Code::kNotFound) return used.status();
        spec.error = ctx.T("This link is unknown, expired or already used. Ask for a new one.");
        spec.status = 400;
        spec.links = {{ctx.T("Reset your password"), "/reset"}};
        return RenderFormPage(ctx, spec);
      }
      Result<std::string> hash = HashPassword(password);
      if (!hash.ok()) return hash.status();
      std::int64_t user = used.value().user_id;
      // A reset locks out whoever else knew the old password.
      Status s = ctx.store.SetPassword(user, hash.value());
      if (s.ok()) s = ctx.store.EndAllSessions(user);
      if (s.ok()) s = ctx.store.MarkEmailVerified(user);  // the link proved the address
      if (!s.ok()) return s;
      return StartSession(ctx, user, "/account");
    }
  }
  FormSpec form;
  form.action = "/reset/new";
  form.submit = ctx.T("Set the new password");
  form.hidden = {{"t", token}};
  form.fields = {FormField("password", ctx.T("New password"), "password")
                     .Help(ctx.T("At least 10 characters."))
                     .Autocomplete("new-password")
                     .Required()};
  spec.forms.push_back(std::move(form));
  return RenderFormPage(ctx, spec);
}

Result<Page> AccountPage(const PageContext& ctx) {
  const UserInfo* user = ctx.user();
  if (!user) return SeeOther("/signin?back=/account");
  FormPageSpec spec;
  spec.title = ctx.T("Your account");
  UserInfo shown = *user;
  if (ctx.form) {
    ProfileUpdate update;
    std::string name = Field(ctx, "name"), country = Field(ctx, "country");
    std::string affiliation = Field(ctx, "affiliation"), languages = Field(ctx, "languages");
    if (name.empty() || name.size() > kMaxNameBytes) {
      spec.error = ctx.T("Enter the name to show beside your posts.");
    } else if (!country.empty() && !FindCountry(country)) {
      spec.error = ctx.T("Choose a country from the list.");
    } else if (affiliation.size() > kMaxProfileFieldBytes || languages.size() > kMaxProfileFieldBytes) {
      spec.error = ctx.T("Affiliation and languages are limited to 500 characters.");
    } else {
      update.display_name = name;
      update.stakeholder_group = Field(ctx, "group");
      update.country = country.empty() ? "" : std::string(FindCountry(country)->code);
      update.affiliation = affiliation;
      update.languages = languages;
      Status s = ctx.store.UpdateProfile(user->id, update);
      if (!s.ok() && s.code() != Status::Code::kInvalidArgument) return s;
      if (s.ok()) return SeeOther("/account?saved=1");
      spec.error = s.message();
    }
    spec.status = 400;
    shown.display_name = name;
    shown.stakeholder_group = Field(ctx, "group");
    shown.country = country;
    shown.affiliation = affiliation;
    shown.languages = languages;
  }
  if (ctx.url.Param("welcome") == "1") spec.notice = ctx.T("Your address is confirmed. Welcome!");
  if (ctx.url.Param("saved") == "1") spec.notice = ctx.T("Your profile is saved.");
  if (ctx.url.Param("claim") == "sent") spec.notice = ctx.T("We sent a link to that address: open it to claim its messages.");
  if (ctx.url.Param("claim") == "done") spec.notice = ctx.T("The archived messages from that address are now yours.");
  spec.intro = FillPlaceholder(ctx.T("Signed in as {address}."), "{address}", user->email) + " " +
               (user->group_verified ? ctx.T("The secretariat has verified your stakeholder group.")
                                     : ctx.T("Your stakeholder group is as you declared it."));
  FormSpec profile;
  profile.heading = ctx.T("Profile");
  profile.action = "/account";
  profile.submit = ctx.T("Save");
  std::string region;
  if (const Country* c = FindCountry(shown.country); c && !c->region.empty())
    region = std::string(c->region) + ", " +
             std::string(c->intermediate_region.empty() ? c->subregion : c->intermediate_region) +
             (c->un_group.empty() ? "" : " (" + std::string(c->un_group) + ")");
  profile.fields = {
      FormField("name", ctx.T("Name shown with your posts")).Value(shown.display_name).Autocomplete("name").Required(),
      FormField("group", ctx.T("Stakeholder group"), "select")
          .Value(shown.stakeholder_group)
          .Help(ctx.T("Changing it removes the secretariat's verification until they check again."))
          .Options(GroupOptions(ctx)),
      FormField("country", ctx.T("Country"), "select")
          .Value(shown.country)
          .Help(region.empty() ? "" : FillPlaceholder(ctx.T("UN region: {region}"), "{region}", region))
          .Options(CountryOptions(ctx)),
      FormField("affiliation", ctx.T("Affiliation")).Value(shown.affiliation).Autocomplete("organization"),
      FormField("languages", ctx.T("Languages you read")).Value(shown.languages).Help(ctx.T("For example: en, fr, es")),
  };
  spec.forms.push_back(std::move(profile));
  FormSpec claim;
  claim.heading = ctx.T("Claim archived messages");
  claim.intro = ctx.T("Wrote to these lists before, from another address? Prove it is yours and its messages join your profile.");
  claim.action = "/account/claim";
  claim.submit = ctx.T("Send a link to that address");
  claim.fields = {FormField("address", ctx.T("Address you wrote from"), "email").Required()};
  spec.forms.push_back(std::move(claim));
  FormSpec signout;
  signout.heading = ctx.T("Sessions");
  signout.action = "/signout";
  signout.submit = ctx.T("Sign out");
  spec.forms.push_back(signout);
  signout.heading = "";
  signout.intro = ctx.T("Lost a device? Sign out on every device where you are signed in.");
  signout.action = "/account/signout-all";
  signout.submit = ctx.T("Sign out everywhere");
  spec.forms.push_back(std::move(signout));
  FormSpec close;
  close.heading = ctx.T("Close your account");
  close.intro = ctx.T("Your posts stay in the public record. You may replace your name on them with \"Former participant\".");
  close.action = "/account/delete";
  close.submit = ctx.T("Close my account");
  close.danger = true;
  close.fields = {FormField("anonymise", ctx.T("Replace my name on my posts"), "checkbox"),
                  FormField("confirm", ctx.T("I understand this cannot be undone"), "checkbox")};
  spec.forms.push_back(std::move(close));
  return RenderFormPage(ctx, spec);
}

Result<Page> AccountAction(const PageContext& ctx, const std::string& action) {
  const UserInfo* user = ctx.user();
  if (!user) return SeeOther("/signin?back=/account");
  if (action == "signout-all") {
    Status s = ctx.store.EndAllSessions(user->id);
    if (!s.ok()) return s;
    return SeeOther("/", EndSessionCookie(ctx.site->secure_cookies));
  }
  if (action == "delete") {
    if (Field(ctx, "confirm") != "1")
      return Status::InvalidArgument(ctx.T("Tick \"I understand this cannot be undone\" to close your account."));
    Status s = ctx.store.DeleteUser(user->id, Field(ctx, "anonymise") == "1");
    if (!s.ok()) return s;
    return SeeOther("/", EndSessionCookie(ctx.site->secure_cookies));
  }
  if (action == "claim") {
    std::string address = NormalizeAddress(Field(ctx, "address"));
    if (address.find('@') == std::string::npos) return Status::InvalidArgument(ctx.T("Enter an email address."));
    if (address == user->email) {  // proven when the account was verified
      Status s = ctx.store.ClaimAddress(user->id, address);
      if (!s.ok()) return s;
      return SeeOther("/account?claim=done");
    }
    Status s = MailToken(ctx, "claim", user->id, address, kClaimSeconds, "/claim",
                         ctx.T("Claim your archived messages"),
                         FillPlaceholder(ctx.T("Open this link to add the messages from this address to the profile of "
                                               "{address}:"),
                                         "{address}", user->email));
    if (!s.ok()) return s;
    return SeeOther("/account?claim=sent");
  }
  return Status::NotFound("there is no page at " + ctx.url.path);
}

Result<Page> ClaimAddressPage(const PageContext& ctx) {
  std::string token = LinkToken(ctx);
  if (!ctx.user()) return SeeOther("/signin?back=" + EncodeQueryValue("/claim?t=" + token));
  if (ctx.form) {
    Result<OneTimeToken> used = ctx.store.UseToken(TokenHash(token), "claim", UnixNow());
    if (!used.ok()) {
      if (used.status().code() != Status::Code::kNotFound) return used.status();
      return Status::InvalidArgument(ctx.T("This link is unknown, expired or already used."));
    }
    // The token was made for one account: another signed-in account cannot use it.
    if (used.value().user_id != ctx.user()->id)
      return Status::InvalidArgument(ctx.T("This link was sent for another account."));
    Status s = ctx.store.ClaimAddress(used.value().user_id, used.value().address);
    if (!s.ok()) return s;
    return SeeOther("/account?claim=done");
  }
  return ConfirmButtonPage(ctx, ctx.T("Claim archived messages"), "/claim", ctx.T("Add these messages to my profile"));
}

}  // namespace rt
