#pragma once
// The web pages, one function each: read the store, fill a template, return the page
// or an error Status (NotFound -> 404, InvalidArgument -> 400). They never see HTTP:
// web_app.cc routes, caches and adds headers.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/notices.h"
#include "gateway/post_rules.h"
#include "store/store.h"
#include "web/assets.h"
#include "web/form.h"
#include "web/i18n.h"
#include "web/request_url.h"
#include "web/templates.h"
#include "web/visitor.h"

namespace rt {

/// What participation pages need beyond the archive, one per server.
struct Site {
  MailSite mail;
  std::string signing_key;      ///< store Secret("signing-key"): CSRF and unsubscribe tokens
  bool secure_cookies = false;  ///< served over TLS
  PostPolicy policy;
};

struct Page {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Same for every reader in this language until the archive changes, so it may be
  /// kept in the page cache. False for raw bytes and downloads (big, rarely re-read).
  bool cacheable = true;
};

/// What every page may read. `T()` translates into the reader's language.
struct PageContext {
  Store& store;
  const Catalogs& catalogs;
  const Templates& templates;
  const Assets& assets;
  std::string lang;
  const RequestUrl& url;
  std::string base_url;  ///< "http://127.0.0.1:8080": for feeds, which need absolute links
  /// Who asks; set for participation pages and for signed-in visitors (personal pages).
  const Visitor* visitor = nullptr;
  /// The submitted form of a POST (its CSRF token already checked); null for GET.
  const Form* form = nullptr;
  const Site* site = nullptr;
  /// Who asks, as per-client limits count them (HttpRequest::client_key); "" when unknown.
  std::string client_key = {};

  const UserInfo* user() const { return visitor && visitor->user ? &*visitor->user : nullptr; }

  std::string T(std::string_view msgid) const { return catalogs.Translate(lang, msgid); }
  std::string TN(std::string_view singular, std::string_view plural, std::int64_t n) const;
};

Result<Page> HomePage(const PageContext& ctx);
Result<Page> ForumPage(const PageContext& ctx, const std::string& forum);
/// ?after=DATE.ID continues below that thread.
Result<Page> ListPage(const PageContext& ctx, const std::string& forum, const std::string& list);
/// ?view=nested|flat, ?page=N.
Result<Page> ThreadPage(const PageContext& ctx, std::int64_t thread_id);
Result<Page> MessagePage(const PageContext& ctx, std::int64_t message_id);
Result<Page> RawMessagePage(const PageContext& ctx, std::int64_t message_id);
Result<Page> AttachmentDownload(const PageContext& ctx, std::int64_t message_id, int position);
/// ?after=DATE.ID continues below that message.
Result<Page> PersonPage(const PageContext& ctx, std::int64_t person_id);
/// ?q= (the CLI's query language), from=, list=, after=, before= (YYYY-MM-DD), page=.
Result<Page> SearchResultsPage(const PageContext& ctx);
/// The search page's fields as one query in the CLI's language ("q from:x list:y ...").
std::string CombinedQuery(const RequestUrl& url);
Result<Page> StatsPage(const PageContext& ctx, const std::string& forum);
Result<Page> ListFeed(const PageContext& ctx, const std::string& forum, const std::string& list);
Result<Page> ThreadFeed(const PageContext& ctx, std::int64_t thread_id);
// --- Participation (account_pages.cc, post_pages.cc, moderation_pages.cc): each
// handles its GET (the form) and POST (ctx.form set). ---

Result<Page> SignUpPage(const PageContext& ctx);
Result<Page> SignInPage(const PageContext& ctx);
Result<Page> SignOut(const PageContext& ctx);
/// ?t=TOKEN from the mail: a button that confirms (a mail scanner's GET confirms nothing).
Result<Page> VerifyAddressPage(const PageContext& ctx);
Result<Page> PasswordResetPage(const PageContext& ctx);
Result<Page> NewPasswordPage(const PageContext& ctx);
/// Profile, sign out everywhere, claim an archived address, close the account.
Result<Page> AccountPage(const PageContext& ctx);
Result<Page> AccountAction(const PageContext& ctx, const std::string& action);
Result<Page> ClaimAddressPage(const PageContext& ctx);
Result<Page> NewThreadPage(const PageContext& ctx, const std::string& forum, const std::string& list);
Result<Page> ReplyPage(const PageContext& ctx, std::int64_t message_id);
/// A post's author (web posts) or a moderator changes its subject and text.
Result<Page> EditMessagePage(const PageContext& ctx, std::int64_t message_id);
/// Every version of an edited post (public).
Result<Page> MessageHistoryPage(const PageContext& ctx, std::int64_t message_id);
Result<Page> ModerationQueuePage(const PageContext& ctx, const std::string& forum);
Result<Page> ModerationLogPage(const PageContext& ctx, const std::string& forum);
Result<Page> UnsubscribePage(const PageContext& ctx);
/// A signed-in reader's delivery mode for a list (POST mode=each|digest|digest-plain|none|leave).
Result<Page> SubscriptionPage(const PageContext& ctx, const std::string& forum, const std::string& list);
/// The choices of SubscriptionPage, in the reader's language: value, text.
std::vector<std::pair<std::string, std::string>> SubscriptionModes(const PageContext& ctx);
/// ?t=TOKEN: confirms joining or leaving a list, asked for by mail.
Result<Page> ConfirmMembershipPage(const PageContext& ctx);

/// A 303 to `location` after a form, with a cookie when `set_cookie` is not empty.
Page SeeOther(std::string location, std::string set_cookie = "");

/// The page for a failed request, with the status the error calls for.
Page ErrorPage(const PageContext& ctx, const Status& error);

/// HTTP status for an error Status: NotFound 404, InvalidArgument/BadFormat 400,
/// Busy 503, anything else 500.
int HttpStatusFor(const Status& error);

// --- Shared by the page files (page_layout.cc). ---

/// "DATE.ID", the form cursors take in URLs; and back.
std::string FormatCursor(const Cursor& cursor);
Cursor ParseCursor(std::string_view text);

/// Site paths, segments percent-encoded.
std::string ForumUrl(std::string_view forum);
std::string ListUrl(std::string_view forum, std::string_view list);
std::string ThreadUrl(std::int64_t thread_id);
std::string MessageUrl(std::int64_t message_id);
std::string PersonUrl(std::int64_t person_id);

/// The translated name of a stakeholder group key ("civil-society" -> "Civil society").
std::string GroupName(const PageContext& ctx, std::string_view group);
/// `text` with its first `placeholder` ("{n}") replaced by `value`: translations keep
/// placeholders where their language puts the value.
std::string FillPlaceholder(std::string text, std::string_view placeholder, std::string_view value);

/// The subject, or "(no subject)" in the reader's language.
std::string SubjectOrPlaceholder(const PageContext& ctx, const std::string& subject);
/// "12 KB", "3.4 MB".
std::string ByteSize(std::int64_t bytes);

/// A page dictionary with the layout filled: title, language, direction, assets,
/// breadcrumbs, footer. Add the page's own values to `dict`; the header and footer
/// are includes whose dictionaries are `header` and `footer`.
struct PageDictionary {
  ctemplate::TemplateDictionary dict{"page"};
  ctemplate::TemplateDictionary* header = nullptr;
  ctemplate::TemplateDictionary* footer = nullptr;
  ctemplate::TemplateDictionary* crumbs = nullptr;  ///< created by the first Crumb()
  void Crumb(std::string_view name, std::string_view url);
  /// Forums › forum, then › list when `list` is not empty.
  void CrumbsTo(const PageContext& ctx, std::string_view forum, std::string_view list = {});
  void Feed(std::string_view title, std::string_view url);
};
void StartPage(const PageContext& ctx, std::string_view title, PageDictionary* page);
/// Includes the template `name` as `marker` in `dict` (in the reader's language).
ctemplate::TemplateDictionary* Include(const PageContext& ctx, ctemplate::TemplateDictionary* dict,
                                       const char* marker, std::string_view name);
Page RenderPage(const PageContext& ctx, std::string_view template_name, const PageDictionary& page);

}  // namespace rt
