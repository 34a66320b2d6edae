#include "web/web_app.h"

#include <algorithm>
#include <functional>
#include <future>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <stdexcept>

#include "mime/mail_date.h"
#include "util/ascii.h"
#include "util/clock.h"
#include "web/api.h"
#include "web/assets.h"
#include "web/form.h"
#include "web/i18n.h"
#include "web/page_cache.h"
#include "web/pages.h"
#include "web/request_url.h"
#include "web/store_pool.h"
#include "web/templates.h"
#include "web/visitor.h"

namespace rt {

namespace {

// Pages may be a minute stale in shared caches; validators make re-checks cheap.
constexpr const char* kPageCacheControl = "public, max-age=60";
constexpr const char* kAssetCacheControl = "public, max-age=31536000, immutable";
// Forms and signed-in pages: personal, so kept by no cache and never revalidated.
constexpr const char* kPersonalCacheControl = "private, no-store";
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// RFC 7231 IMF-fixdate.
std::string HttpDate(std::int64_t unix_seconds) { return FormatUtc(unix_seconds, "%a, %d %b %Y %H:%M:%S GMT"); }

std::int64_t ParseHttpDate(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  if (!strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return -1;
  return timegm(&tm);
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Accept-Encoding lists gzip (or "*") with a weight above zero (RFC 9110 12.5.3):
// "gzip;q=0", "gzip;q=0.0" and "gzip;q=0.000" refuse it.
bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, star;
  while (!accept_encoding.empty()) {
    std::size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    std::size_t semicolon = item.find(';');
    std::string_view coding = TrimSpace(item.substr(0, semicolon));
    bool wanted = true;
    for (std::string_view params = semicolon == std::string_view::npos ? std::string_view() : item.substr(semicolon + 1);
         !params.empty();) {
      std::size_t next = params.find(';');
      std::string_view param = TrimSpace(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
        wanted = param.substr(2).find_first_not_of("0.") != std::string_view::npos;  // any non-zero digit
    }
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) gzip = gzip.value_or(false) || wanted;
    else if (coding == "*") star = wanted;
  }
  return gzip ? *gzip : star.value_or(false);
}

// If-None-Match holds `etag` (or "*"); weak comparison, as RFC 9110 asks for GET.
bool EtagMatches(std::string_view if_none_match, const std::string& etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  std::string_view bare = std::string_view(etag);
  return if_none_match.find(bare) != std::string_view::npos;
}

// A response that brings its own (stricter) policy keeps it.
void AddSecurityHeaders(HttpResponse* r) {
  bool has_csp = false;
  for (const auto& [name, value] : r->headers) has_csp |= name == "Content-Security-Policy";
  for (const auto& header : SecurityHeaders())
    if (!has_csp || header.first != "Content-Security-Policy") r->headers.push_back(header);
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"}};
  return kHeaders;
}

class WebApp::Impl {
 public:
  explicit Impl(WebOptions options)
      : options_(std::move(options)),
        stores_(options_.db, StoreOptions{options_.store_cache_mib}),
        catalogs_(Catalogs::Get()),
        templates_(catalogs_),
        cache_(options_.cache_bytes) {
    Result<StorePool::Handle> store = stores_.Acquire();
    if (!store.ok()) throw std::runtime_error(store.status().message());
    // Made (on the first start) before the watcher's first look below.
    Result<std::string> key = store.value()->Secret("signing-key", 32);
    if (!key.ok()) throw std::runtime_error(key.status().message());
    // The watcher's first look, taken here: the first request then starts no second generation.
    stores_.ArchiveChanged();
    cache_.NewGeneration(UnixNow());
    site_.mail = options_.mail;
    site_.signing_key = key.value();
    site_.secure_cookies = options_.base_url.rfind("https://", 0) == 0;
    site_.policy = options_.policy;
  }

  HttpResponse Handle(const HttpRequest& request);
  std::optional<HttpResponse> TryCached(const HttpRequest& request);
  const Site& site() const { return site_; }

 private:
  // The response for a cached or fresh body, honouring validators and Accept-Encoding.
  HttpResponse FromBody(const HttpRequest& request, const std::shared_ptr<const CachedBody>& body, int status,
                        const char* cache_control,
                        const std::vector<std::pair<std::string, std::string>>& extra);
  Result<Page> Route(const PageContext& ctx, const HttpRequest& request);
  // Forms and pages for a signed-in visitor: never from or into the shared cache.
  HttpResponse HandlePersonal(const HttpRequest& request, const RequestUrl& url, bool participation);
  Result<Page> RouteParticipation(const PageContext& ctx);
  // Whether `body` is unchanged since the client's If-Modified-Since date. Dates have
  // whole seconds: when the archive changed within the second the body's generation began,
  // that second is no proof the client holds this body.
  bool NotModifiedSince(const CachedBody& body, std::int64_t since) {
    return since > body.last_modified || (since == body.last_modified && !cache_.SeveralGenerationsIn(since));
  }
  HttpResponse Redirect(int status, std::string location);

  // A response as rendered once, shared by everyone who asked for it meanwhile.
  struct Rendered {
    std::shared_ptr<const CachedBody> body;
    int status = 200;
    bool cacheable = true;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  std::shared_ptr<const Rendered> RenderOnce(const std::string& key,
                                             const std::function<std::shared_ptr<const Rendered>()>& render);

  WebOptions options_;
  StorePool stores_;
  const Catalogs& catalogs_;
  Templates templates_;
  Assets assets_;
  PageCache cache_;
  Site site_;
  std::mutex inflight_mu_;
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const Rendered>>> inflight_;
};

HttpResponse WebApp::Impl::Redirect(int status, std::string location) {
  HttpResponse r;
  r.status = status;
  r.content_type = "";
  r.headers.emplace_back("Location", std::move(location));
  r.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(&r);
  return r;
}

HttpResponse WebApp::Impl::FromBody(const HttpRequest& request, const std::shared_ptr<const CachedBody>& body_owner,
                                    int status,
                                    const char* cache_control,
                                    const std::vector<std::pair<std::string, std::string>>& extra) {
  HttpResponse r;
  r.status = status;
  r.headers = extra;
  // Static files are the same in every language; pages are not.
  r.headers.emplace_back("Vary", cache_control == kAssetCacheControl ? "Accept-Encoding"
                                                                      : "Accept-Encoding, Accept-Language, Cookie");
  const CachedBody& body = *body_owner;
  // Each content coding is its own representation, with its own validator (RFC 9110 8.8.3).
  bool gzip = !body.gzip.empty() && AcceptsGzip(request.Header("accept-encoding"));
  std::string etag = gzip ? body.etag.substr(0, body.etag.size() - 1) + "-gz\"" : body.etag;
  if (status == 200 && cache_control != kPersonalCacheControl) {
    r.headers.emplace_back("ETag", etag);
    if (body.last_modified > 0) r.headers.emplace_back("Last-Modified", HttpDate(body.last_modified));
    r.headers.emplace_back("Cache-Control", cache_control);
    std::string_view inm = request.Header("if-none-match"), ims = request.Header("if-modified-since");
    bool not_modified = !inm.empty() ? EtagMatches(inm, etag)
                                     : !ims.empty() && body.last_modified > 0 && NotModifiedSince(body, ParseHttpDate(ims));
    if (not_modified) {
      r.status = 304;
      r.content_type = "";
      AddSecurityHeaders(&r);
      return r;
    }
  } else {
    r.headers.emplace_back("Cache-Control", "no-store");
  }
  r.content_type = body.content_type;
  r.shared_body = std::shared_ptr<const std::string>(body_owner, gzip ? &body.gzip : &body.plain);
  r.body_is_gzip = gzip;
  AddSecurityHeaders(&r);
  return r;
}

Result<Page> WebApp::Impl::Route(const PageContext& ctx, const HttpRequest&) {
  const std::vector<std::string>& s = ctx.url.segments;
  auto id = [&](std::size_t i) -> Result<std::int64_t> {
    std::optional<std::int64_t> v = ParseInt(s[i]);
    if (!v || *v <= 0) return Status::NotFound("\"" + s[i] + "\" is not a page");
    return *v;
  };
  std::size_t n = s.size();
  if (n == 0) return HomePage(ctx);
  if (s[0] == "search" && n == 1) return SearchResultsPage(ctx);
  if (s[0] == "f" && n >= 2) {
    if (n == 2) return ForumPage(ctx, s[1]);
    if (n == 3 && s[2] == "stats") return StatsPage(ctx, s[1]);
    if (n == 3 && s[2] == "log") return ModerationLogPage(ctx, s[1]);
    if (n == 4 && s[2] == "l") return ListPage(ctx, s[1], s[3]);
    if (n == 5 && s[2] == "l" && s[4] == "feed.atom") return ListFeed(ctx, s[1], s[3]);
  }
  if (s[0] == "t" && (n == 2 || (n == 3 && s[2] == "feed.atom"))) {
    Result<std::int64_t> thread = id(1);
    if (!thread.ok()) return thread.status();
    return n == 2 ? ThreadPage(ctx, thread.value()) : ThreadFeed(ctx, thread.value());
  }
  if (s[0] == "m" && n >= 2) {
    Result<std::int64_t> message = id(1);
    if (!message.ok()) return message.status();
    if (n == 2) return MessagePage(ctx, message.value());
    if (n == 3 && s[2] == "raw") return RawMessagePage(ctx, message.value());
    if (n == 3 && s[2] == "history") return MessageHistoryPage(ctx, message.value());
    if ((n == 4 || n == 5) && s[2] == "attachments") {
      std::optional<std::int64_t> position = ParseInt(s[3]);
      if (!position || *position < 0 || *position > 100000) return Status::NotFound("no such attachment");
      return AttachmentDownload(ctx, message.value(), static_cast<int>(*position));
    }
  }
  if (s[0] == "p" && n == 2) {
    Result<std::int64_t> person = id(1);
    if (!person.ok()) return person.status();
    return PersonPage(ctx, person.value());
  }
  return Status::NotFound("there is no page at " + ctx.url.path);
}

namespace {

constexpr FormLimits kFormLimits{};

// Pages that read or change who the visitor is: forms, accounts, moderation.
bool IsParticipationPath(const std::vector<std::string>& s) {
  std::size_t n = s.size();
  if (n == 1)
    for (const char* page : {"signup", "signin", "signout", "verify", "reset", "account", "claim", "unsubscribe", "confirm"})
      if (s[0] == page) return true;
  if (n == 2 && ((s[0] == "reset" && s[1] == "new") || s[0] == "account")) return true;
  if (n == 3 && s[0] == "m" && (s[2] == "reply" || s[2] == "edit")) return true;
  if (n == 3 && s[0] == "f" && s[2] == "moderation") return true;
  return n == 5 && s[0] == "f" && s[2] == "l" && (s[4] == "post" || s[4] == "subscribe");
}

}  // namespace

Result<Page> WebApp::Impl::RouteParticipation(const PageContext& ctx) {
  const std::vector<std::string>& s = ctx.url.segments;
  std::size_t n = s.size();
  bool post = ctx.form != nullptr;
  if (n == 1) {
    if (s[0] == "signup") return SignUpPage(ctx);
    if (s[0] == "signin") return SignInPage(ctx);
    if (s[0] == "signout" && post) return SignOut(ctx);
    if (s[0] == "verify") return VerifyAddressPage(ctx);
    if (s[0] == "reset") return PasswordResetPage(ctx);
    if (s[0] == "account") return AccountPage(ctx);
    if (s[0] == "claim") return ClaimAddressPage(ctx);
    if (s[0] == "unsubscribe") return UnsubscribePage(ctx);
    if (s[0] == "confirm") return ConfirmMembershipPage(ctx);
  }
  if (n == 2 && s[0] == "reset") return NewPasswordPage(ctx);
  if (n == 2 && s[0] == "account" && post) return AccountAction(ctx, s[1]);
  if (n == 3 && s[0] == "m") {
    std::optional<std::int64_t> id = ParseInt(s[1]);
    if (id && *id > 0) return s[2] == "reply" ? ReplyPage(ctx, *id) : EditMessagePage(ctx, *id);
  }
  if (n == 3 && s[0] == "f") return ModerationQueuePage(ctx, s[1]);
  if (n == 5 && s[0] == "f") return s[4] == "post" ? NewThreadPage(ctx, s[1], s[3]) : SubscriptionPage(ctx, s[1], s[3]);
  return Status::NotFound("there is no page at " + ctx.url.path);
}

HttpResponse WebApp::Impl::HandlePersonal(const HttpRequest& request, const RequestUrl& url, bool participation) {
  auto no_store = [&](Page page) {
    auto body = MakeCachedBody(std::move(page.content_type), std::move(page.body), UnixNow(), false);
    return FromBody(request, body, page.status, kPersonalCacheControl, page.headers);
  };
  std::string lang = catalogs_.Negotiate(CookieValue(request.Header("cookie"), "lang"), request.Header("accept-language"));
  Result<StorePool::Handle> store = stores_.Acquire();
  if (!store.ok()) {
    HttpResponse r;
    r.status = 503;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "the archive is not available right now\n";
    AddSecurityHeaders(&r);
    return r;
  }
  PageContext ctx{*store.value(), catalogs_, templates_, assets_, lang, url, options_.base_url};
  ctx.site = &site_;
  ctx.client_key = request.client_key;
  Result<Visitor> visitor = IdentifyVisitor(*store.value(), request, UnixNow(), site_.secure_cookies);
  if (!visitor.ok()) return no_store(ErrorPage(ctx, visitor.status()));
  ctx.visitor = &visitor.value();
  std::optional<Form> form;
  if (request.method == "POST") {
    Result<Form> parsed = ParseForm(request.Header("content-type"), request.body, kFormLimits);
    if (!parsed.ok()) return no_store(ErrorPage(ctx, parsed.status()));
    form = std::move(parsed.value());
    // The one-click unsubscribe link is its own proof (RFC 8058: mail clients post it).
    bool signed_link = url.segments.size() == 1 && url.segments[0] == "unsubscribe";
    if (!signed_link && !CsrfTokenValid(visitor.value(), site_.signing_key, form->Get("csrf")))
      return no_store(ErrorPage(ctx, Status::InvalidArgument(ctx.T(
                                         "This form has expired or came from another site. Go back, reload the page "
                                         "and send it again."))));
    ctx.form = &*form;
  }
  Result<Page> page = participation ? RouteParticipation(ctx) : Route(ctx, request);
  // What a form just changed shows on the very next page, whoever asks for it.
  if (form) stores_.LookAgain();
  return no_store(page.ok() ? std::move(page.value()) : ErrorPage(ctx, page.status()));
}

HttpResponse WebApp::Impl::Handle(const HttpRequest& request) {
  bool is_api = request.target.rfind("/api/", 0) == 0;
  auto plain_error = [&](int status, const std::string& message) {
    HttpResponse r;
    r.status = status;
    r.content_type = is_api ? "application/json" : "text/plain; charset=utf-8";
    r.body = is_api ? ApiErrorBody(status, message) : message + "\n";
    r.headers.emplace_back("Cache-Control", "no-store");
    AddSecurityHeaders(&r);
    return r;
  };
  bool is_post = request.method == "POST";
  if (request.method != "GET" && request.method != "HEAD" && !is_post) {
    HttpResponse r = plain_error(405, "use GET, or POST for a form");
    r.headers.emplace_back("Allow", "GET, HEAD, POST");
    return r;
  }
  Result<RequestUrl> url = ParseRequestUrl(request.target);
  if (!url.ok()) return plain_error(400, url.status().message());
  const std::vector<std::string>& segments = url.value().segments;
  bool participation = IsParticipationPath(segments);
  if (is_post && (!participation || is_api)) {
    HttpResponse r = plain_error(405, "only forms take POST");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }

  if (segments.size() == 2 && segments[0] == "static") {
    std::shared_ptr<const CachedBody> asset = assets_.Find(segments[1]);
    if (!asset) return plain_error(404, "no such file");
    return FromBody(request, asset, 200, kAssetCacheControl, {});
  }
  // For load balancers and monitoring: 200 while the database answers, 503 otherwise.
  if (segments.size() == 1 && segments[0] == "healthz") {
    Result<StorePool::Handle> store = stores_.Acquire();
    Status s = store.ok() ? store.value()->ChangeCounter().status() : store.status();
    return s.ok() ? plain_error(200, "ok") : plain_error(503, "the archive database is not available: " + s.message());
  }
  if (segments.size() == 1 && segments[0] == "lang") {
    std::string lang = url.value().Param("set"), back = url.value().Param("back");
    HttpResponse r = Redirect(303, IsSafeBackPath(back) ? back : "/");
    if (catalogs_.Has(lang))
      r.headers.emplace_back("Set-Cookie", "lang=" + lang + "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    return r;
  }
  // Directory-like pages live at a trailing slash; anything else has none.
  bool directory = !segments.empty() && segments[0] == "f" && (segments.size() == 2 || segments.size() == 4) &&
                   !(segments.size() == 4 && segments[2] != "l");
  if (directory && !url.value().trailing_slash) {
    std::string location = url.value().encoded_path + "/";
    std::size_t q = request.target.find('?');
    if (q != std::string::npos) location += request.target.substr(q);
    return Redirect(301, location);
  }
  bool is_msgid = segments.size() == 2 && segments[0] == "msgid";
  if (participation || (HasSessionCookie(request) && !is_api && !is_msgid))
    return HandlePersonal(request, url.value(), participation);

  std::string lang = catalogs_.Negotiate(CookieValue(request.Header("cookie"), "lang"), request.Header("accept-language"));
  std::string key = lang + "\n" + request.target;
  // Another connection wrote since the last look: every cached page may be stale.
  if (stores_.ArchiveChanged()) cache_.NewGeneration(UnixNow());
  std::uint64_t generation = cache_.generation();
  if (!is_msgid)
    if (std::shared_ptr<const CachedBody> hit = cache_.Find(key)) return FromBody(request, hit, 200, kPageCacheControl, {});
  Result<StorePool::Handle> store = stores_.Acquire();
  if (!store.ok()) return plain_error(503, "the archive is not available right now");
  PageContext ctx{*store.value(), catalogs_, templates_, assets_, lang, url.value(), options_.base_url};
  // A link from a mail client: /msgid/<Message-ID> leads to the message, or to an error
  // page a reader can go on from.
  if (is_msgid) {
    Result<std::int64_t> id = store.value()->FindMessage(segments[1]);
    if (id.ok()) return Redirect(302, MessageUrl(id.value()));
    Page page = ErrorPage(ctx, id.status());
    auto body = MakeCachedBody(std::move(page.content_type), std::move(page.body), cache_.generation_time());
    return FromBody(request, body, page.status, "private, max-age=60", page.headers);
  }

  // Readers who ask for the same page while it renders wait for that one render
  // instead of each starting their own (a link posted to a big list).
  // Rendered in this generation: joined only by readers of the same generation, and
  // dated by its start (a change during the render must not make it look newer).
  std::int64_t generation_began = cache_.generation_time();
  std::shared_ptr<const Rendered> rendered = RenderOnce(std::to_string(generation) + "\n" + key, [&] {
    Page page;
    if (is_api) {
      bool v1 = segments.size() >= 2 && segments[1] == "v1";
      page = ApiPage(ctx, v1 ? std::vector<std::string>(segments.begin() + 2, segments.end())
                             : std::vector<std::string>{"no such version"});
    } else {
      Result<Page> routed = Route(ctx, request);
      page = routed.ok() ? std::move(routed.value()) : ErrorPage(ctx, routed.status());
    }
    auto out = std::make_shared<Rendered>();
    // Raw messages and downloads are not kept: compress them only for a client that takes gzip.
    bool compress = page.cacheable || AcceptsGzip(request.Header("accept-encoding"));
    out->body = MakeCachedBody(std::move(page.content_type), std::move(page.body), generation_began, compress);
    out->status = page.status;
    out->cacheable = page.cacheable;
    out->headers = std::move(page.headers);
    if (out->status == 200 && out->cacheable) cache_.Insert(key, out->body, generation);
    return std::shared_ptr<const Rendered>(std::move(out));
  });
  return FromBody(request, rendered->body, rendered->status,
                  rendered->cacheable ? kPageCacheControl : "private, max-age=60", rendered->headers);
}

std::shared_ptr<const WebApp::Impl::Rendered> WebApp::Impl::RenderOnce(
    const std::string& key, const std::function<std::shared_ptr<const Rendered>()>& render) {
  std::promise<std::shared_ptr<const Rendered>> promise;
  std::shared_future<std::shared_ptr<const Rendered>> pending;
  {
    std::lock_guard lock(inflight_mu_);
    auto it = inflight_.find(key);
    if (it != inflight_.end())
      pending = it->second;
    else
      inflight_.emplace(key, promise.get_future().share());
  }
  if (pending.valid()) return pending.get();  // rethrows the renderer's exception
  try {
    std::shared_ptr<const Rendered> result = render();
    promise.set_value(result);
    std::lock_guard lock(inflight_mu_);
    inflight_.erase(key);
    return result;
  } catch (...) {
    promise.set_exception(std::current_exception());
    std::lock_guard lock(inflight_mu_);
    inflight_.erase(key);
    throw;
  }
}

std::optional<HttpResponse> WebApp::Impl::TryCached(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  if (HasSessionCookie(request) && request.target.rfind("/static/", 0) != 0) return std::nullopt;
  const std::string& target = request.target;
  if (target.rfind("/static/", 0) == 0) {
    std::shared_ptr<const CachedBody> asset = assets_.Find(target.substr(8));
    if (asset) return FromBody(request, asset, 200, kAssetCacheControl, {});
    return std::nullopt;
  }
  // The same key and the same freshness check as Handle, so both give the same answer.
  std::string lang = catalogs_.Negotiate(CookieValue(request.Header("cookie"), "lang"), request.Header("accept-language"));
  if (stores_.ArchiveChanged()) {
    cache_.NewGeneration(UnixNow());
    return std::nullopt;
  }
  std::shared_ptr<const CachedBody> hit = cache_.Find(lang + "\n" + target);
  if (!hit) return std::nullopt;
  return FromBody(request, hit, 200, kPageCacheControl, {});
}

WebApp::WebApp(WebOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
WebApp::~WebApp() = default;
HttpResponse WebApp::Handle(const HttpRequest& request) { return impl_->Handle(request); }
std::optional<HttpResponse> WebApp::TryCached(const HttpRequest& request) { return impl_->TryCached(request); }
const std::string& WebApp::SigningKey() const { return impl_->site().signing_key; }

}  // namespace rt
