// Participation over HTTP, end to end: the real `roundtable serve`, its mail sender
// pointed at the aiosmtpd capture server. A Browser keeps cookies as a browser does;
// forms are sent with the CSRF token read from the page that shows them, and links are
// taken from the mail the capture server received. Each test starts its own server on
// its own database, so counters (sign-in attempts, first posts) start from zero.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <thread>

#include "accounts/tokens.h"
#include "capture_server.h"
#include "store/store.h"
#include "test_util.h"
#include "util/clock.h"

namespace rt {
namespace {

using testing::CaptureServer;
using testing::HttpFetch;
using testing::HttpGet;
using testing::HttpHeaders;
using testing::HttpReply;
using testing::RunRoundtable;
using testing::ServerProcess;
using testing::TempDir;
using testing::PercentEncode;
using testing::TestDatabase;

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kPassword = "correct horse battery";
constexpr const char* kCsrfError = "This form has expired or came from another site.";

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FormEncode(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields)
    out += (out.empty() ? "" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
  return out;
}

// One part of a multipart/form-data body: a text field, or a file when `type` is set
// (an empty file input sends filename="" and no bytes).
struct Part {
  std::string name, value;
  std::string filename = {}, type = {};
};

constexpr const char* kBoundary = "----roundtableTestBoundary7MA4YWxk";

// The body a browser sends for a form with enctype="multipart/form-data".
std::string MultipartBody(const std::vector<Part>& parts) {
  std::string out;
  for (const Part& p : parts) {
    out += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.type.empty()) out += "; filename=\"" + p.filename + "\"\r\nContent-Type: " + p.type;
    out += "\r\n\r\n" + p.value + "\r\n";
  }
  return out + "--" + kBoundary + "--\r\n";
}

// The first match of `pattern`'s group 1 in `html`, or "".
std::string Find(const std::string& html, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : "";
}

// The CSRF token of the form posting to `action` (all forms of a page carry the same one).
std::string ParseCsrf(const std::string& html, const std::string& action = "") {
  std::size_t form = action.empty() ? 0 : html.find("action=\"" + action + "\"");
  if (form == std::string::npos) return "";
  return Find(html.substr(form), "name=\"csrf\" value=\"([^\"]*)\"");
}

std::string HiddenValue(const std::string& html, const std::string& name) {
  return Find(html, "type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\"");
}

// What a form page or an error page says went wrong, or what it reports.
std::string ErrorText(const std::string& html) {
  std::string e = Find(html, "<p class=\"error\" role=\"alert\">([^<]*)</p>");
  return e.empty() ? Find(html, "</h1>\\s*<p>([^<]*)</p>") : e;
}
std::string NoticeText(const std::string& html) { return Find(html, "<p class=\"notice\" role=\"status\">([^<]*)</p>"); }

// Path and query of a URL ("https://host/a?b" -> "/a?b"): links name the public host,
// which does not resolve here; the server under test answers for it.
std::string PathOf(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  std::size_t slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::string SetCookie(const HttpReply& r, const std::string& name) {
  for (const auto& [header, value] : r.headers)
    if (header == "set-cookie" && value.rfind(name + "=", 0) == 0) return value;
  return "";
}

// A browser: keeps the cookies the site sets and sends them back.
class Browser {
 public:
  explicit Browser(int port) : port_(port) {}

  HttpReply Get(const std::string& target) { return Fetch("GET", target, {}, ""); }
  HttpReply Post(const std::string& target, const Fields& fields) {
    return Fetch("POST", target, {{"Content-Type", "application/x-www-form-urlencoded"}}, FormEncode(fields));
  }
  HttpReply PostMultipart(const std::string& target, const std::vector<Part>& parts) {
    return Fetch("POST", target, {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}},
                 MultipartBody(parts));
  }
  // What a person does: opens `page`, fills in the form that posts to `action`, sends it.
  HttpReply Submit(const std::string& page, const std::string& action, Fields fields) {
    HttpReply form = Get(page);
    EXPECT_EQ(form.status, 200) << page << ": " << form.body.substr(0, 300);
    std::string token = ParseCsrf(form.body, action);
    EXPECT_FALSE(token.empty()) << page << " has no form posting to " << action;
    fields.emplace_back("csrf", token);
    return Post(action, fields);
  }
  HttpReply Fetch(const std::string& method, const std::string& target, HttpHeaders headers, const std::string& body) {
    std::string cookie;
    for (const auto& [name, value] : cookies) cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    if (!forwarded_for.empty()) headers.emplace_back("X-Forwarded-For", forwarded_for);
    HttpReply r = HttpFetch(port_, method, target, headers, body);
    for (const auto& [name, value] : r.headers) {
      if (name != "set-cookie") continue;
      std::size_t eq = value.find('='), end = value.find(';');
      std::string key = value.substr(0, eq), val = value.substr(eq + 1, end - eq - 1);
      if (val.empty() || Contains(value, "Max-Age=0")) cookies.erase(key);
      else cookies[key] = val;
    }
    return r;
  }

  std::map<std::string, std::string> cookies;
  /// The client a trusted proxy (--trusted-proxy 127.0.0.1) names; "" sends no header.
  std::string forwarded_for;

 private:
  int port_;
};

// --- Mail as the capture server received it ---

struct Mail {
  int seq = 0;
  std::string to, subject;
  std::string headers;  ///< unfolded
  std::string body;     ///< quoted-printable decoded
};

std::string DecodeQuotedPrintable(std::string_view s) {
  auto hex = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::toupper(c) - 'A' + 10); };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') {
      out += s[i];
    } else if (i + 2 < s.size() + 1 && s.substr(i + 1, 2) == "\r\n") {
      i += 2;  // a soft line break
    } else if (i + 1 < s.size() && s[i + 1] == '\n') {
      i += 1;
    } else if (i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string HeaderValue(const std::string& unfolded, const std::string& name) {
  return Find("\r\n" + unfolded + "\r\n", "\r\n(?:" + name + "): ([^\r\n]*)\r\n");
}

Mail ReadMail(const CaptureServer& capture, int seq) {
  Mail m;
  m.seq = seq;
  std::string raw = capture.Message(seq);
  boost::json::object envelope = capture.Envelope(seq);
  m.to = Lower(std::string(envelope["rcpt_tos"].as_array().at(0).as_string()));
  std::size_t end = raw.find("\r\n\r\n");
  m.headers = std::regex_replace(raw.substr(0, end), std::regex("\r\n[ \t]+"), " ");
  m.body = raw.substr(end == std::string::npos ? raw.size() : end + 4);
  if (Contains(Lower(m.headers), "content-transfer-encoding: quoted-printable")) m.body = DecodeQuotedPrintable(m.body);
  m.subject = HeaderValue(m.headers, "Subject");
  return m;
}

// Mail after `after` for `to`, whose subject contains `subject`, as it arrives (the
// server sends its queue every second).
Mail WaitForMail(const CaptureServer& capture, const std::string& to, const std::string& subject, int after = 0) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  int seen = after;
  while (std::chrono::steady_clock::now() < deadline) {
    for (int n = capture.MessageCount(); seen < n;) {
      Mail m = ReadMail(capture, ++seen);
      if (m.to == to && Contains(m.subject, subject)) return m;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "no mail to " << to << " about \"" << subject << "\" within 15 s";
  return {};
}

int CountMailTo(const CaptureServer& capture, const std::string& to) {
  int n = 0;
  for (int seq = 1, count = capture.MessageCount(); seq <= count; ++seq) n += ReadMail(capture, seq).to == to;
  return n;
}

// The link in a mail that leads to `path` ("/verify?t="), as path and query.
std::string LinkTo(const Mail& mail, const std::string& path) {
  std::size_t at = mail.body.find(path);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no link to " << path << " in: " << mail.body;
    return "";
  }
  return mail.body.substr(at, mail.body.find_first_of(" \r\n>", at) - at);
}

// --- The server ---

class ParticipationWebTest : public ::testing::Test {
 protected:
  // The database with forum igf and its list policy, a capture server, and the server.
  void Start(const std::vector<std::string>& extra = {}) {
    db_ = TestDatabase(dir_);
    Cli({"list", "create", "policy", "--forum", "igf", "--description", "IGF policy"});
    capture_ = std::make_unique<CaptureServer>();
    std::vector<std::string> args = {"--rate-limit", "0", "--smtp", "127.0.0.1:" + std::to_string(capture_->port()),
                                     "--mail-domain", "lists.example.test"};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(db_, args);
  }

  void Cli(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin() + (args[0] == "user" || args[0] == "list" ? 2 : 1), {"--db", db_});
    testing::CommandResult r = RunRoundtable(args, input);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err << r.out;
  }

  // An account made by the secretariat (address known to be theirs).
  void AddUser(const std::string& email, const std::string& name, const std::string& group = "") {
    std::vector<std::string> args = {"user", "add", email, "--name", name, "--verified", "--password-stdin"};
    if (!group.empty()) args.insert(args.end(), {"--group", group});
    Cli(args, std::string(kPassword) + "\n");
  }

  int port() const { return server_->port(); }
  Browser NewBrowser() const { return Browser(port()); }

  HttpReply SignIn(Browser& b, const std::string& email, const std::string& password = kPassword) {
    return b.Submit("/signin", "/signin", {{"email", email}, {"password", password}});
  }
  Browser SignedIn(const std::string& email) {
    Browser b = NewBrowser();
    HttpReply r = SignIn(b, email);
    EXPECT_EQ(r.status, 303) << email << ": " << ErrorText(r.body);
    EXPECT_TRUE(b.cookies.count("rt_session")) << email;
    return b;
  }

  // A second connection to the database, to look at what the pages did.
  Store& Db() {
    if (!store_) {
      Result<std::unique_ptr<Store>> s = Store::Open(db_);
      if (!s.ok()) throw std::runtime_error(s.status().message());
      store_ = std::move(s.value());
    }
    return *store_;
  }
  bool Subscribed(const std::string& address) { return Db().FindSubscription("igf", "policy", address).ok(); }

  // A new thread in igf/policy from the web, with the form's token.
  HttpReply PostThread(Browser& b, const std::string& subject, const std::string& body,
                       const std::vector<Part>& files = {}) {
    HttpReply form = b.Get("/f/igf/l/policy/post");
    EXPECT_EQ(form.status, 200) << form.body.substr(0, 300);
    std::vector<Part> parts = {{"csrf", ParseCsrf(form.body)}, {"subject", subject}, {"body", body}};
    parts.insert(parts.end(), files.begin(), files.end());
    return b.PostMultipart("/f/igf/l/policy/post", parts);
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<CaptureServer> capture_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Store> store_;
};

// --- 1. Signing up ---

TEST_F(ParticipationWebTest, SignUpByMailedLinkStartsAPrivateSession) {
  Start();
  Browser ana = NewBrowser();
  HttpReply form = ana.Get("/signup");
  ASSERT_EQ(form.status, 200);
  EXPECT_EQ(form.Header("cache-control"), "no-store");
  std::string csrf_cookie = SetCookie(form, "rt_csrf");
  EXPECT_TRUE(Contains(csrf_cookie, "HttpOnly") && Contains(csrf_cookie, "SameSite=Strict")) << csrf_cookie;
  HttpReply sent = ana.Post("/signup", {{"csrf", ParseCsrf(form.body, "/signup")},
                                        {"email", "Ana@Example.org"},
                                        {"name", "Ana Lima"},
                                        {"password", kPassword},
                                        {"group", "civil-society"},
                                        {"country", "KE"}});
  ASSERT_EQ(sent.status, 200) << ErrorText(sent.body);
  EXPECT_TRUE(Contains(NoticeText(sent.body), "ana@example.org")) << sent.body;

  Mail mail = WaitForMail(*capture_, "ana@example.org", "Confirm your address");
  EXPECT_TRUE(Contains(mail.body, "http://127.0.0.1:" + std::to_string(port()) + "/verify?t=")) << mail.body;
  std::string link = LinkTo(mail, "/verify?t=");
  // Opening the link (or a mail scanner fetching it) only shows a button.
  HttpReply button = ana.Get(link);
  ASSERT_EQ(button.status, 200);
  EXPECT_TRUE(Contains(button.body, "action=\"/verify\"")) << button.body;
  EXPECT_EQ(SetCookie(button, "rt_session"), "");
  EXPECT_FALSE(Db().UserByEmail("ana@example.org").value().email_verified);

  HttpReply verified = ana.Post("/verify", {{"csrf", ParseCsrf(button.body)}, {"t", HiddenValue(button.body, "t")}});
  ASSERT_EQ(verified.status, 303) << ErrorText(verified.body);
  EXPECT_EQ(verified.Header("location"), "/account?welcome=1");
  std::string session = SetCookie(verified, "rt_session");
  EXPECT_TRUE(Contains(session, "; HttpOnly") && Contains(session, "; SameSite=Lax")) << session;
  EXPECT_FALSE(Contains(session, "Secure")) << "served over http: " << session;
  EXPECT_TRUE(Db().UserByEmail("ana@example.org").value().email_verified);

  HttpReply account = ana.Get("/account?welcome=1");
  ASSERT_EQ(account.status, 200);
  EXPECT_TRUE(Contains(account.body, "Signed in as ana@example.org")) << account.body;
  EXPECT_TRUE(Contains(account.body, "<a href=\"/account\">Ana Lima</a>")) << "the header names the user";
  EXPECT_TRUE(Contains(account.body, "<option value=\"civil-society\" selected>"));
  EXPECT_TRUE(Contains(account.body, "<option value=\"KE\" selected>"));
  EXPECT_EQ(account.Header("cache-control"), "no-store");

  // The link signs in once.
  Browser other = NewBrowser();
  HttpReply again = other.Get(link);
  again = other.Post("/verify", {{"csrf", ParseCsrf(again.body)}, {"t", HiddenValue(again.body, "t")}});
  EXPECT_EQ(again.status, 400);
  EXPECT_FALSE(other.cookies.count("rt_session"));

  // Public pages: anonymous readers share the cache, a signed-in reader never does.
  for (const std::string target : {"/", "/f/igf/", "/f/igf/l/policy/"}) {
    HttpReply before = HttpGet(port(), target);
    ASSERT_EQ(before.status, 200) << target;
    EXPECT_TRUE(Contains(before.Header("cache-control"), "public")) << target;
    HttpReply mine = ana.Get(target);
    ASSERT_EQ(mine.status, 200) << target;
    EXPECT_EQ(mine.Header("cache-control"), "no-store") << target;
    EXPECT_FALSE(mine.Has("etag")) << target;
    EXPECT_TRUE(Contains(mine.body, "<a href=\"/account\">Ana Lima</a>")) << target;
    EXPECT_FALSE(Contains(mine.body, "href=\"/signin\"")) << target;
    HttpReply after = HttpGet(port(), target);
    EXPECT_TRUE(Contains(after.body, ">Sign in</a>")) << target;
    EXPECT_FALSE(Contains(after.body, "Ana Lima")) << target;
  }
}

// --- 2. CSRF ---

TEST_F(ParticipationWebTest, FormsTakeOnlyTheirVisitorsToken) {
  Start();
  AddUser("ana@example.org", "Ana Lima", "academia");
  AddUser("bob@example.net", "Bob Stone");
  Browser ana = SignedIn("ana@example.org"), bob = SignedIn("bob@example.net"), reader = NewBrowser();
  Fields profile = {{"name", "Mallory"}, {"group", "government"}, {"country", ""}, {"affiliation", ""}, {"languages", ""}};
  std::string bobs = ParseCsrf(bob.Get("/account").body);
  std::string readers = ParseCsrf(reader.Get("/signin").body);
  std::string own = ParseCsrf(ana.Get("/account").body);
  ASSERT_FALSE(bobs.empty() || readers.empty() || own.empty());
  EXPECT_NE(bobs, own);
  for (const std::string& token : {std::string(), bobs, readers, own.substr(0, own.size() - 1) + (own.back() == 'A' ? "B" : "A"), std::string("x")}) {
    Fields forged = profile;
    if (!token.empty()) forged.emplace_back("csrf", token);
    HttpReply r = ana.Post("/account", forged);
    EXPECT_EQ(r.status, 400) << "token " << token;
    EXPECT_TRUE(Contains(ErrorText(r.body), kCsrfError)) << r.body;
    // Nor may a form end a session, or sign out everywhere, without it.
    EXPECT_EQ(ana.Post("/signout", {{"csrf", token}}).status, 400);
    EXPECT_EQ(ana.Post("/account/signout-all", {{"csrf", token}}).status, 400);
  }
  UserInfo unchanged = Db().UserByEmail("ana@example.org").value();
  EXPECT_EQ(unchanged.display_name, "Ana Lima");
  EXPECT_EQ(unchanged.stakeholder_group, "academia");
  EXPECT_EQ(ana.Get("/account").status, 200) << "still signed in";

  // An anonymous visitor's token is bound to their rt_csrf cookie: without it, it is void.
  HttpReply form = reader.Get("/signup");
  Fields signup = {{"csrf", ParseCsrf(form.body)}, {"email", "eve@example.org"}, {"name", "Eve"}, {"password", kPassword}};
  HttpReply cookieless = HttpFetch(port(), "POST", "/signup", {{"Content-Type", "application/x-www-form-urlencoded"}},
                                   FormEncode(signup));
  EXPECT_EQ(cookieless.status, 400);
  EXPECT_EQ(Db().UserByEmail("eve@example.org").status().code(), Status::Code::kNotFound);

  // A GET never acts: no sign-out by link.
  EXPECT_EQ(ana.Get("/signout").status, 404);
  EXPECT_EQ(ana.Get("/account/signout-all").status, 404);
  EXPECT_EQ(ana.Get("/account/delete?confirm=1").status, 404);
  EXPECT_EQ(ana.Get("/account").status, 200) << "still signed in";

  // The right token works.
  profile[0].second = "Ana L.";
  HttpReply saved = ana.Submit("/account", "/account", profile);
  EXPECT_EQ(saved.status, 303) << ErrorText(saved.body);
  EXPECT_EQ(Db().UserByEmail("ana@example.org").value().display_name, "Ana L.");

  // Pages that are not forms take no POST, with or without a session and token.
  for (const std::string target : {"/", "/f/igf/", "/f/igf/l/policy/", "/search?q=x", "/f/igf/log", "/api/v1/forums"}) {
    HttpReply r = ana.Post(target, {{"csrf", own}});
    EXPECT_EQ(r.status, 405) << target;
    EXPECT_EQ(r.Header("allow"), "GET, HEAD") << target;
    EXPECT_EQ(HttpFetch(port(), "POST", target, {}, "a=1").status, 405) << target;
  }
}

// --- 3. Signing in and out ---

TEST_F(ParticipationWebTest, SignInTellsNothingLimitsGuessingAndSignOutEndsSessions) {
  Start();
  AddUser("ana@example.org", "Ana Lima");
  AddUser("bob@example.net", "Bob Stone");
  Browser guesser = NewBrowser();
  HttpReply wrong = SignIn(guesser, "ana@example.org", "not the password");
  HttpReply unknown = SignIn(guesser, "nobody@example.org", "not the password");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(unknown.status, wrong.status);
  EXPECT_TRUE(Contains(ErrorText(wrong.body), "do not match an account")) << wrong.body;
  EXPECT_EQ(ErrorText(unknown.body), ErrorText(wrong.body));
  EXPECT_FALSE(guesser.cookies.count("rt_session"));

  // Ten tries an hour per address; then even the right password waits.
  for (int i = 2; i <= 10; ++i) EXPECT_EQ(SignIn(guesser, "ana@example.org", "guess " + std::to_string(i)).status, 400);
  HttpReply limited = SignIn(guesser, "ana@example.org");
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(Contains(ErrorText(limited.body), "Too many attempts")) << limited.body;
  EXPECT_FALSE(guesser.cookies.count("rt_session"));
  EXPECT_EQ(SignIn(guesser, "bob@example.net").status, 303) << "other addresses are not limited";
  // Only failures count: signing in many times is no attack.
  for (int i = 0; i < 11; ++i) {
    Browser again = NewBrowser();
    EXPECT_EQ(SignIn(again, "bob@example.net").status, 303) << i;
  }

  // An account whose address is not confirmed gets a fresh link instead of a session.
  Browser carol = NewBrowser();
  HttpReply signup = carol.Submit("/signup", "/signup",
                                  {{"email", "carol@example.org"}, {"name", "Carol"}, {"password", kPassword}});
  ASSERT_EQ(signup.status, 200) << ErrorText(signup.body);
  Mail first = WaitForMail(*capture_, "carol@example.org", "Confirm your address");
  HttpReply unconfirmed = SignIn(carol, "carol@example.org");
  EXPECT_EQ(unconfirmed.status, 400);
  EXPECT_TRUE(Contains(ErrorText(unconfirmed.body), "Confirm your address first")) << unconfirmed.body;
  EXPECT_FALSE(carol.cookies.count("rt_session"));
  Mail fresh = WaitForMail(*capture_, "carol@example.org", "Confirm your address", first.seq);
  ASSERT_NE(LinkTo(fresh, "/verify?t="), LinkTo(first, "/verify?t="));
  HttpReply button = carol.Get(LinkTo(fresh, "/verify?t="));
  EXPECT_EQ(carol.Post("/verify", {{"csrf", ParseCsrf(button.body)}, {"t", HiddenValue(button.body, "t")}}).status, 303);
  EXPECT_TRUE(carol.cookies.count("rt_session"));

  // After signing in, back to the page that asked; never to another site.
  for (const auto& [back, location] : std::vector<std::pair<std::string, std::string>>{
           {"/f/igf/l/policy/", "/f/igf/l/policy/"}, {"//evil.example/x", "/account"}, {"https://evil.example", "/account"}}) {
    Browser b = NewBrowser();
    HttpReply r = b.Submit("/signin?back=" + PercentEncode(back), "/signin",
                           {{"email", "bob@example.net"}, {"password", kPassword}, {"back", back}});
    EXPECT_EQ(r.status, 303) << back;
    EXPECT_EQ(r.Header("location"), location) << back;
  }

  // Signing out ends that session on the server, not only its cookie.
  Browser laptop = SignedIn("bob@example.net"), phone = SignedIn("bob@example.net");
  std::string old_cookie = "rt_session=" + laptop.cookies["rt_session"];
  HttpReply out = laptop.Submit("/account", "/signout", {});
  EXPECT_EQ(out.status, 303);
  EXPECT_TRUE(Contains(SetCookie(out, "rt_session"), "Max-Age=0")) << SetCookie(out, "rt_session");
  EXPECT_FALSE(laptop.cookies.count("rt_session"));
  HttpReply replayed = HttpGet(port(), "/account", {{"Cookie", old_cookie}});
  EXPECT_EQ(replayed.status, 303);
  EXPECT_EQ(replayed.Header("location"), "/signin?back=/account");
  EXPECT_FALSE(Contains(HttpGet(port(), "/", {{"Cookie", old_cookie}}).body, "Bob Stone"));
  EXPECT_EQ(phone.Get("/account").status, 200) << "the other device stays signed in";

  // Signing out everywhere ends both.
  laptop = SignedIn("bob@example.net");
  std::string laptop_cookie = "rt_session=" + laptop.cookies["rt_session"];
  std::string phone_cookie = "rt_session=" + phone.cookies["rt_session"];
  EXPECT_EQ(phone.Submit("/account", "/account/signout-all", {}).status, 303);
  for (const std::string& cookie : {laptop_cookie, phone_cookie})
    EXPECT_EQ(HttpGet(port(), "/account", {{"Cookie", cookie}}).status, 303) << cookie;
  EXPECT_EQ(laptop.Get("/account").status, 303);
}

// The least time of `tries` runs of `request`, in seconds.
double Fastest(int tries, const std::function<void()>& request) {
  double best = 1e9;
  for (int i = 0; i < tries; ++i) {
    auto start = std::chrono::steady_clock::now();
    request();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

// Checking a password takes a deliberately slow hash (argon2id, tens of milliseconds); an
// address without an account must take as long, or the time tells who has one.

// Someone failing on purpose locks an address out from their own client, not its owner
// elsewhere; failures spread over many clients still stop at a hundred an hour.
TEST_F(ParticipationWebTest, FailedSignInsLockAnAddressOutOnlyFromTheClientThatFailed) {
  Start({"--trusted-proxy", "127.0.0.1"});
  AddUser("ana@example.org", "Ana Lima");
  Browser guesser = NewBrowser();
  guesser.forwarded_for = "198.51.100.7";
  for (int i = 1; i <= 10; ++i) EXPECT_EQ(SignIn(guesser, "ana@example.org", "guess " + std::to_string(i)).status, 400);
  EXPECT_EQ(SignIn(guesser, "ana@example.org").status, 429);
  Browser ana = NewBrowser();
  ana.forwarded_for = "203.0.113.9";
  EXPECT_EQ(SignIn(ana, "ana@example.org").status, 303);
  // The same /64 is the same client: an IPv6 host has the whole prefix to itself.
  Browser neighbour = NewBrowser();
  neighbour.forwarded_for = "2001:db8:1:2::1";
  for (int i = 1; i <= 10; ++i) EXPECT_EQ(SignIn(neighbour, "ana@example.org", "guess " + std::to_string(i)).status, 400);
  neighbour.forwarded_for = "2001:db8:1:2::99";
  EXPECT_EQ(SignIn(neighbour, "ana@example.org").status, 429);
  // Ninety more failures from ninety addresses: now the address is locked everywhere.
  for (int i = 0; i < 80; ++i) {
    Browser b = NewBrowser();
    b.forwarded_for = "192.0.2." + std::to_string(i + 1);
    ASSERT_EQ(SignIn(b, "ana@example.org", "spread guess").status, 400) << i;
  }
  Browser late = NewBrowser();
  late.forwarded_for = "203.0.113.50";
  HttpReply locked = SignIn(late, "ana@example.org");
  EXPECT_EQ(locked.status, 429);
  EXPECT_TRUE(Contains(ErrorText(locked.body), "for this address")) << locked.body;
  // A client that failed a thousand times, whatever the addresses, is told it is its network.
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(Db().CountEvent("signin-from:198.51.100.200", UnixNow(), 3600).ok());
  Browser venue = NewBrowser();
  venue.forwarded_for = "198.51.100.200";
  HttpReply refused = SignIn(venue, "someone.else@example.org");
  EXPECT_EQ(refused.status, 429);
  EXPECT_TRUE(Contains(ErrorText(refused.body), "from your network")) << refused.body;
}
TEST_F(ParticipationWebTest, AnUnknownAddressTakesAsLongAsAnAccount) {
  Start();
  AddUser("ana@example.org", "Ana Lima");
  Browser b = NewBrowser();
  std::string csrf = ParseCsrf(b.Get("/signin").body);
  auto sign_in = [&](const std::string& email) {
    HttpReply r = b.Post("/signin", {{"csrf", csrf}, {"email", email}, {"password", "a wrong password"}});
    EXPECT_EQ(r.status, 400);
  };
  double known = Fastest(3, [&] { sign_in("ana@example.org"); });
  double unknown = Fastest(3, [&] { sign_in("nobody@example.org"); });
  EXPECT_GT(unknown, known / 4) << "sign in: " << known << " s with an account, " << unknown << " s without";

  int n = 0;
  auto sign_up = [&](const std::string& email) {
    HttpReply r = b.Post("/signup", {{"csrf", csrf}, {"email", email}, {"name", "Someone"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 200) << ErrorText(r.body);
  };
  double taken = Fastest(3, [&] { sign_up("ana@example.org"); });
  double fresh = Fastest(3, [&] { sign_up("new" + std::to_string(++n) + "@example.org"); });
  EXPECT_GT(taken, fresh / 4) << "sign up: " << fresh << " s for a new address, " << taken << " s for one taken";
}

// --- 4. Resetting a password ---

TEST_F(ParticipationWebTest, PasswordResetLinkWorksOnceAndEndsOlderSessions) {
  Start();
  AddUser("ana@example.org", "Ana Lima");
  Browser old_device = SignedIn("ana@example.org");
  Browser ana = NewBrowser();
  HttpReply for_nobody = ana.Submit("/reset", "/reset", {{"email", "nobody@example.org"}});
  HttpReply for_ana = ana.Submit("/reset", "/reset", {{"email", "ana@example.org"}});
  EXPECT_EQ(for_nobody.status, 200);
  EXPECT_EQ(for_ana.status, 200);
  std::string said = NoticeText(for_ana.body);
  EXPECT_TRUE(Contains(said, "ana@example.org")) << for_ana.body;
  EXPECT_EQ(std::regex_replace(NoticeText(for_nobody.body), std::regex("nobody@"), "ana@"), said)
      << "the same answer, account or not";

  Mail mail = WaitForMail(*capture_, "ana@example.org", "Reset your password");
  EXPECT_EQ(CountMailTo(*capture_, "nobody@example.org"), 0);
  QueueCounts queue = Db().CountDeliveries().value();
  EXPECT_EQ(queue.queued + queue.sent + queue.failed, 1) << "one mail, to ana; none to nobody";
  std::string link = LinkTo(mail, "/reset/new?t=");
  HttpReply form = ana.Get(link);
  ASSERT_EQ(form.status, 200);
  std::string token = HiddenValue(form.body, "t");
  EXPECT_FALSE(token.empty());

  // A password too short is refused without using up the link.
  HttpReply short_one = ana.Post("/reset/new", {{"csrf", ParseCsrf(form.body)}, {"t", token}, {"password", "short"}});
  EXPECT_EQ(short_one.status, 400);
  HttpReply set = ana.Post("/reset/new", {{"csrf", ParseCsrf(form.body)}, {"t", token}, {"password", "a new long password"}});
  ASSERT_EQ(set.status, 303) << ErrorText(set.body);
  EXPECT_EQ(set.Header("location"), "/account");
  EXPECT_EQ(ana.Get("/account").status, 200) << "the reset signs in";
  EXPECT_EQ(old_device.Get("/account").status, 303) << "sessions from before the reset are over";

  Browser other = NewBrowser();
  EXPECT_EQ(SignIn(other, "ana@example.org").status, 400) << "the old password no longer works";
  EXPECT_EQ(SignIn(other, "ana@example.org", "a new long password").status, 303);

  // Used once: refused the second time.
  Browser again = NewBrowser();
  HttpReply reuse = again.Submit(link, "/reset/new", {{"t", token}, {"password", "the attackers password"}});
  EXPECT_EQ(reuse.status, 400);
  EXPECT_TRUE(Contains(ErrorText(reuse.body), "unknown, expired or already used")) << reuse.body;
  EXPECT_FALSE(again.cookies.count("rt_session"));

  // Expired: refused as well.
  std::string expired = NewToken();
  OneTimeToken t;
  t.token_hash = TokenHash(expired);
  t.purpose = "reset";
  t.user_id = Db().UserByEmail("ana@example.org").value().id;
  t.address = "ana@example.org";
  t.expires_at = static_cast<std::int64_t>(std::time(nullptr)) - 1;
  ASSERT_TRUE(Db().CreateToken(t).ok());
  HttpReply late = again.Submit("/reset/new?t=" + expired, "/reset/new", {{"t", expired}, {"password", "too late now!"}});
  EXPECT_EQ(late.status, 400);
  EXPECT_FALSE(again.cookies.count("rt_session"));
  EXPECT_EQ(SignIn(other, "ana@example.org", "a new long password").status, 303) << "the password is unchanged";
}

// --- 5. The profile, claiming archived messages, closing the account ---

constexpr const char* kOldArchive =
    "From old@archive.example Mon Jan 15 10:00:00 2007\n"
    "From: Old Timer <old@archive.example>\n"
    "To: policy@lists.example.test\n"
    "Subject: Remote participation\n"
    "Date: Mon, 15 Jan 2007 10:00:00 +0000\n"
    "Message-ID: <old1@archive.example>\n"
    "\n"
    "We should open the meeting to remote participants.\n"
    "\n"
    "From someone@else.example Tue Jan 16 10:00:00 2007\n"
    "From: Someone Else <someone@else.example>\n"
    "To: policy@lists.example.test\n"
    "Subject: Re: Remote participation\n"
    "Date: Tue, 16 Jan 2007 10:00:00 +0000\n"
    "Message-ID: <else1@else.example>\n"
    "In-Reply-To: <old1@archive.example>\n"
    "\n"
    "Agreed.\n";

TEST_F(ParticipationWebTest, ProfileClaimAndClosingTheAccount) {
  Start();
  testing::WriteFile(dir_.File("old.mbox"), kOldArchive);
  Cli({"import", "--forum", "igf", "--list", "policy", "--no-progress", dir_.File("old.mbox")});
  AddUser("ana@example.org", "Ana Lima", "academia");
  Cli({"user", "verify", "ana@example.org"});
  Browser ana = SignedIn("ana@example.org");
  EXPECT_TRUE(Contains(ana.Get("/account").body, "The secretariat has verified your stakeholder group."));

  // A country shows its UN region; keeping the group keeps the verification.
  Fields profile = {{"name", "Ana Lima"}, {"group", "academia"}, {"country", "KE"},
                    {"affiliation", "University of Nairobi"}, {"languages", "en, sw"}};
  HttpReply saved = ana.Submit("/account", "/account", profile);
  ASSERT_EQ(saved.status, 303) << ErrorText(saved.body);
  EXPECT_EQ(saved.Header("location"), "/account?saved=1");
  HttpReply page = ana.Get("/account?saved=1");
  EXPECT_EQ(NoticeText(page.body), "Your profile is saved.");
  EXPECT_TRUE(Contains(page.body, "UN region: Africa, Eastern Africa (African Group)")) << page.body;
  EXPECT_TRUE(Contains(page.body, "<option value=\"KE\" selected>"));
  EXPECT_TRUE(Contains(page.body, "The secretariat has verified your stakeholder group."));
  // A new group is not what the secretariat checked.
  profile[1].second = "civil-society";
  EXPECT_EQ(ana.Submit("/account", "/account", profile).status, 303);
  page = ana.Get("/account");
  EXPECT_TRUE(Contains(page.body, "Your stakeholder group is as you declared it.")) << page.body;
  EXPECT_FALSE(Db().UserByEmail("ana@example.org").value().group_verified);
  // Nonsense is refused, and what was typed is shown back to be corrected.
  Fields bad_profile = {{"name", "Ana L."}, {"group", "government"}, {"country", "XX"}, {"affiliation", "Parliament"},
                        {"languages", "en"}};
  HttpReply bad = ana.Submit("/account", "/account", bad_profile);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorText(bad.body), "Choose a country from the list.");
  EXPECT_TRUE(Contains(bad.body, "value=\"Ana L.\""));
  EXPECT_TRUE(Contains(bad.body, "<option value=\"government\" selected>")) << "the group chosen is kept";
  EXPECT_TRUE(Contains(bad.body, "value=\"Parliament\""));
  UserInfo kept = Db().UserByEmail("ana@example.org").value();
  EXPECT_EQ(kept.country, "KE");
  EXPECT_EQ(kept.stakeholder_group, "civil-society");

  // Claiming the address she wrote from in 2007, by a link sent to it.
  std::int64_t old_message = Db().FindMessage("old1@archive.example").value();
  std::string message_url = "/m/" + std::to_string(old_message);
  EXPECT_FALSE(Contains(HttpGet(port(), message_url).body, "group-civil-society"));
  HttpReply claim = ana.Submit("/account", "/account/claim", {{"address", "Old@Archive.example"}});
  ASSERT_EQ(claim.status, 303) << ErrorText(claim.body);
  EXPECT_EQ(claim.Header("location"), "/account?claim=sent");
  Mail mail = WaitForMail(*capture_, "old@archive.example", "Claim your archived messages");
  std::string link = LinkTo(mail, "/claim?t=");
  HttpReply anonymous = HttpGet(port(), link);
  EXPECT_EQ(anonymous.status, 303) << "a visitor who is not signed in is asked to";
  EXPECT_EQ(anonymous.Header("location").rfind("/signin?back=", 0), 0u) << anonymous.Header("location");
  HttpReply button = ana.Get(link);
  ASSERT_EQ(button.status, 200);
  EXPECT_FALSE(Contains(HttpGet(port(), message_url).body, "group-civil-society")) << "a GET claims nothing";
  HttpReply claimed = ana.Post("/claim", {{"csrf", ParseCsrf(button.body)}, {"t", HiddenValue(button.body, "t")}});
  ASSERT_EQ(claimed.status, 303) << ErrorText(claimed.body);
  EXPECT_EQ(claimed.Header("location"), "/account?claim=done");
  HttpReply shown = HttpGet(port(), message_url);
  EXPECT_TRUE(Contains(shown.body, "<span class=\"group group-civil-society\">Civil society · University of Nairobi"))
      << shown.body;
  EXPECT_TRUE(Contains(shown.body, "Old Timer"));

  // Closing, with the name replaced on the archived messages.
  HttpReply unticked = ana.Submit("/account", "/account/delete", {{"anonymise", "1"}});
  EXPECT_EQ(unticked.status, 400);
  EXPECT_EQ(ana.Get("/account").status, 200) << "not closed without the confirmation";
  std::string cookie = "rt_session=" + ana.cookies["rt_session"];
  HttpReply closed = ana.Submit("/account", "/account/delete", {{"anonymise", "1"}, {"confirm", "1"}});
  ASSERT_EQ(closed.status, 303) << ErrorText(closed.body);
  EXPECT_FALSE(ana.cookies.count("rt_session"));
  EXPECT_EQ(HttpGet(port(), "/account", {{"Cookie", cookie}}).status, 303) << "the session ended";
  shown = HttpGet(port(), message_url);
  EXPECT_TRUE(Contains(shown.body, "Former participant")) << shown.body;
  EXPECT_FALSE(Contains(shown.body, "Old Timer"));
  EXPECT_FALSE(Contains(shown.body, "group-civil-society"));
  HttpReply thread = HttpGet(port(), "/t/" + std::to_string(Db().Message(old_message).value().thread_id));
  EXPECT_TRUE(Contains(thread.body, "Former participant"));
  EXPECT_TRUE(Contains(thread.body, "Someone Else")) << "only her messages";
  EXPECT_EQ(SignIn(ana, "ana@example.org").status, 400);

  // The address is free for a new account.
  Browser again = NewBrowser();
  int before = capture_->MessageCount();
  HttpReply signup = again.Submit("/signup", "/signup",
                                  {{"email", "ana@example.org"}, {"name", "Ana Again"}, {"password", kPassword}});
  EXPECT_EQ(signup.status, 200) << ErrorText(signup.body);
  Mail welcome = WaitForMail(*capture_, "ana@example.org", "Confirm your address", before);
  EXPECT_TRUE(Contains(welcome.body, "/verify?t="));
}

// Claiming an archived address adds its messages to the profile; the account's own
// posts must stay on it.
TEST_F(ParticipationWebTest, ClaimingKeepsTheAccountsOwnPosts) {
  Start({"--held-first-posts", "0"});
  testing::WriteFile(dir_.File("old.mbox"), kOldArchive);
  Cli({"import", "--forum", "igf", "--list", "policy", "--no-progress", dir_.File("old.mbox")});
  AddUser("ana@example.org", "Ana Lima", "academia");
  Browser ana = SignedIn("ana@example.org");
  HttpReply posted = PostThread(ana, "Written today", "A new post.");
  ASSERT_EQ(posted.status, 303) << ErrorText(posted.body);
  std::string thread_url = posted.Header("location").substr(0, posted.Header("location").find('#'));
  EXPECT_TRUE(Contains(HttpGet(port(), thread_url).body, "group-academia"));

  ASSERT_EQ(ana.Submit("/account", "/account/claim", {{"address", "old@archive.example"}}).status, 303);
  Mail mail = WaitForMail(*capture_, "old@archive.example", "Claim your archived messages");
  HttpReply button = ana.Get(LinkTo(mail, "/claim?t="));
  ASSERT_EQ(ana.Post("/claim", {{"csrf", ParseCsrf(button.body)}, {"t", HiddenValue(button.body, "t")}}).status, 303);
  std::int64_t old_message = Db().FindMessage("old1@archive.example").value();
  EXPECT_TRUE(Contains(HttpGet(port(), "/m/" + std::to_string(old_message)).body, "group-academia"));
  EXPECT_TRUE(Contains(HttpGet(port(), thread_url).body, "group-academia")) << "her own post lost her profile";
}

// Signed-in readers see the same site as anonymous ones, only personal: the language
// switch and /msgid/ links from mail work for them too.
TEST_F(ParticipationWebTest, SignedInReadersCanSwitchLanguageAndFollowMsgidLinks) {
  Start();
  testing::WriteFile(dir_.File("old.mbox"), kOldArchive);
  Cli({"import", "--forum", "igf", "--list", "policy", "--no-progress", dir_.File("old.mbox")});
  AddUser("ana@example.org", "Ana Lima");
  Browser ana = SignedIn("ana@example.org");
  std::int64_t old_message = Db().FindMessage("old1@archive.example").value();
  EXPECT_EQ(HttpGet(port(), "/msgid/old1@archive.example").status, 302);
  HttpReply msgid = ana.Get("/msgid/old1@archive.example");
  EXPECT_EQ(msgid.status, 302);
  EXPECT_EQ(msgid.Header("location"), "/m/" + std::to_string(old_message));
  HttpReply lang = ana.Get("/lang?set=en&back=/account");
  EXPECT_EQ(lang.status, 303);
  EXPECT_EQ(lang.Header("location"), "/account");
  EXPECT_EQ(ana.cookies["lang"], "en");
}

// --- 6. Posting and moderation ---

TEST_F(ParticipationWebTest, PostsAndRepliesWithAttachments) {
  Start({"--held-first-posts", "0"});
  AddUser("ana@example.org", "Ana Lima", "academia");
  Browser ana = SignedIn("ana@example.org");
  HttpReply away = HttpGet(port(), "/f/igf/l/policy/post");
  EXPECT_EQ(away.status, 303);
  EXPECT_EQ(away.Header("location"), "/signin?back=%2Ff%2Figf%2Fl%2Fpolicy%2Fpost");
  HttpReply form = ana.Get("/f/igf/l/policy/post");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, "enctype=\"multipart/form-data\""));

  // A type that could run in a browser is refused, and the draft is kept.
  HttpReply refused = PostThread(ana, "Agenda for Tuesday", "Hello **all**.",
                                 {{"attachment", "<script>alert(1)</script>", "agenda.html", "text/html"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Contains(ErrorText(refused.body), "agenda.html: this type of file cannot be attached")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "value=\"Agenda for Tuesday\""));
  EXPECT_EQ(Db().ListThreads("igf", "policy", {}, 10).value().size(), 0u);
  // So is a file that is not what its name says, more than 5 files, and more than 10 MB.
  HttpReply renamed = PostThread(ana, "Agenda for Tuesday", "Hello.",
                                 {{"attachment", std::string("MZ\x90\0\x03", 5), "minutes.pdf", "application/pdf"}});
  EXPECT_EQ(renamed.status, 400);
  EXPECT_TRUE(Contains(ErrorText(renamed.body), "content is not what its name says it is"))
      << renamed.body;
  std::vector<Part> six(6, {"attachment", "a note\n", "note.txt", "text/plain"});
  HttpReply too_many = PostThread(ana, "Agenda for Tuesday", "Hello.", six);
  EXPECT_EQ(too_many.status, 400);
  EXPECT_TRUE(Contains(ErrorText(too_many.body), "At most 5 attachments.")) << too_many.body;
  std::string megabytes(5'300'000, 'x');
  HttpReply too_big = PostThread(ana, "Agenda for Tuesday", "Hello.",
                                 {{"attachment", megabytes, "a.txt", "text/plain"}, {"attachment", megabytes, "b.txt", "text/plain"}});
  EXPECT_EQ(too_big.status, 400);
  EXPECT_TRUE(Contains(ErrorText(too_big.body), "Attachments are limited to 10 MB in all.")) << too_big.body.substr(0, 500);
  EXPECT_EQ(Db().ListThreads("igf", "policy", {}, 10).value().size(), 0u);

  HttpReply posted = PostThread(ana, "Agenda for Tuesday", "Hello **all**.\r\n\r\nThe notes are attached.",
                                {{"attachment", "1. Welcome\n2. Remote hubs\n", "notes.txt", "text/plain"}});
  ASSERT_EQ(posted.status, 303) << ErrorText(posted.body);
  std::string location = posted.Header("location");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(location, m, std::regex("/t/(\\d+)#m(\\d+)"))) << location;
  std::string thread_url = "/t/" + m[1].str(), message = m[2].str();
  HttpReply thread = HttpGet(port(), thread_url);
  ASSERT_EQ(thread.status, 200);
  EXPECT_TRUE(Contains(thread.body, "Agenda for Tuesday"));
  EXPECT_TRUE(Contains(thread.body, "Hello <strong>all</strong>.")) << thread.body;
  EXPECT_TRUE(Contains(thread.body, "group-academia"));
  std::string download = Find(thread.body, "<a href=\"([^\"]+)\" download>notes.txt</a>");
  ASSERT_FALSE(download.empty()) << thread.body;
  HttpReply file = HttpGet(port(), download);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "1. Welcome\n2. Remote hubs\n");
  std::string raw = HttpGet(port(), "/m/" + message + "/raw").body;
  EXPECT_TRUE(std::regex_search(raw, std::regex("Message-I[Dd]: <[^>]+@lists\\.example\\.test>"))) << raw;
  std::string parent_id = Find(raw, "Message-I[Dd]: <([^>]+)>");

  // A reply, from the message's reply form.
  HttpReply reply_form = ana.Get("/m/" + message + "/reply");
  ASSERT_EQ(reply_form.status, 200);
  EXPECT_TRUE(Contains(reply_form.body, "value=\"Re: Agenda for Tuesday\""));
  HttpReply replied = ana.PostMultipart("/m/" + message + "/reply", {{"csrf", ParseCsrf(reply_form.body)},
                                                                     {"subject", "Re: Agenda for Tuesday"},
                                                                     {"body", "And one more item."},
                                                                     // The file input left empty, as browsers send it.
                                                                     {"attachment", "", "", "application/octet-stream"}});
  ASSERT_EQ(replied.status, 303) << ErrorText(replied.body);
  EXPECT_EQ(replied.Header("location").rfind(thread_url + "#m", 0), 0u) << "same thread: " << replied.Header("location");
  thread = HttpGet(port(), thread_url);
  EXPECT_TRUE(Contains(thread.body, "And one more item."));
  std::string reply_raw = HttpGet(port(), "/m/" + replied.Header("location").substr(thread_url.size() + 2) + "/raw").body;
  EXPECT_TRUE(Contains(reply_raw, "In-Reply-To: <" + parent_id + ">")) << reply_raw;
  EXPECT_TRUE(Contains(reply_raw, "References: <" + parent_id + ">")) << reply_raw;

  // Once the secretariat vouches for her declared group, her posts say so.
  EXPECT_FALSE(Contains(HttpGet(port(), thread_url).body, "class=\"verified\""));
  Cli({"user", "verify", "ana@example.org"});
  EXPECT_TRUE(Contains(HttpGet(port(), thread_url).body, "<span class=\"verified\">✓ verified</span>"))
      << HttpGet(port(), thread_url).body;
}

// The held post's id in a moderation queue page, by its subject.
std::string HeldId(const std::string& queue, const std::string& subject) {
  return Find(queue, "<h2 id=\"held(\\d+)-h\">" + subject + "</h2>");
}

TEST_F(ParticipationWebTest, FirstPostsWaitForAModeratorWhoseDecisionsAreLogged) {
  Start({"--held-first-posts", "1"});
  AddUser("ana@example.org", "Ana Lima");
  AddUser("bob@example.net", "Bob Stone");
  AddUser("mod@example.org", "Maria Moderator");
  Cli({"user", "role", "mod@example.org", "moderator", "--forum", "igf", "--list", "policy"});
  Browser ana = SignedIn("ana@example.org"), bob = SignedIn("bob@example.net"), mod = SignedIn("mod@example.org");

  HttpReply held = PostThread(ana, "First words from Ana", "Hello, list.");
  ASSERT_EQ(held.status, 200) << ErrorText(held.body);
  EXPECT_TRUE(Contains(NoticeText(held.body), "first posts of a new account")) << held.body;
  EXPECT_EQ(Db().ListThreads("igf", "policy", {}, 10).value().size(), 0u) << "not in the archive yet";

  // The queue: moderators only.
  EXPECT_EQ(HttpGet(port(), "/f/igf/moderation").status, 303);
  HttpReply not_mine = ana.Get("/f/igf/moderation");
  EXPECT_EQ(not_mine.status, 404);
  EXPECT_FALSE(Contains(not_mine.body, "First words from Ana"));
  HttpReply queue = mod.Get("/f/igf/moderation");
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.Header("cache-control"), "no-store");
  EXPECT_TRUE(Contains(queue.body, "first posts of a new account"));
  std::string id = HeldId(queue.body, "First words from Ana");
  ASSERT_FALSE(id.empty()) << queue.body;
  // Not even with a valid token of her own may the author decide.
  EXPECT_EQ(ana.Post("/f/igf/moderation", {{"csrf", ParseCsrf(ana.Get("/account").body)}, {"held", id},
                                           {"decision", "approve"}})
                .status,
            404);

  HttpReply approved = mod.Post("/f/igf/moderation", {{"csrf", ParseCsrf(queue.body)}, {"held", id},
                                                      {"decision", "approve"}, {"reason", "welcome aboard"}});
  ASSERT_EQ(approved.status, 303) << ErrorText(approved.body);
  std::vector<ThreadInfo> threads = Db().ListThreads("igf", "policy", {}, 10).value();
  ASSERT_EQ(threads.size(), 1u);
  HttpReply thread = HttpGet(port(), "/t/" + std::to_string(threads[0].id));
  EXPECT_TRUE(Contains(thread.body, "First words from Ana"));
  EXPECT_TRUE(Contains(thread.body, "Hello, list."));
  HttpReply log = HttpGet(port(), "/f/igf/log");
  ASSERT_EQ(log.status, 200);
  EXPECT_TRUE(std::regex_search(log.body, std::regex("<td>Maria Moderator</td><td>approved</td><td>policy: First words "
                                                     "from Ana \\([^)]*@example\\.org\\)</td><td>welcome aboard</td>")))
      << log.body;
  EXPECT_FALSE(Contains(log.body, "ana@example.org")) << "addresses are masked in the log";
  // Once one post was approved, the next goes out at once.
  EXPECT_EQ(PostThread(ana, "Second words from Ana", "Again.").status, 303);

  // A moderator's edit of Ana's post is in the public log with its reason; Ana's own is not.
  std::string first = std::to_string(Db().ThreadMessages(threads[0].id, false).value().at(0).id);
  HttpReply edit_form = mod.Get("/m/" + first + "/edit");
  ASSERT_EQ(edit_form.status, 200);
  EXPECT_TRUE(Contains(edit_form.body, "Reason, for the public moderation log")) << edit_form.body;
  HttpReply edited = mod.Post("/m/" + first + "/edit", {{"csrf", ParseCsrf(edit_form.body)},
                                                        {"subject", "First words from Ana"},
                                                        {"body", "Hello, list. (A phone number was removed.)"},
                                                        {"reason", "a private phone number"}});
  ASSERT_EQ(edited.status, 303) << ErrorText(edited.body);
  log = HttpGet(port(), "/f/igf/log");
  EXPECT_TRUE(std::regex_search(log.body, std::regex("<td>Maria Moderator</td><td>edited</td><td>policy: First words "
                                                     "from Ana \\([^)]*@example\\.org\\)</td><td>a private phone number</td>")))
      << log.body;
  HttpReply own_form = ana.Get("/m/" + first + "/edit");
  ASSERT_EQ(own_form.status, 200);
  EXPECT_FALSE(Contains(own_form.body, "Reason, for the public moderation log"));
  EXPECT_EQ(ana.Post("/m/" + first + "/edit", {{"csrf", ParseCsrf(own_form.body)},
                                               {"subject", "First words from Ana"},
                                               {"body", "Hello, list."}})
                .status,
            303);
  log = HttpGet(port(), "/f/igf/log");
  const std::regex edited_row("<td>edited</td>");
  auto edits = std::distance(std::sregex_iterator(log.body.begin(), log.body.end(), edited_row), std::sregex_iterator());
  EXPECT_EQ(edits, 1) << log.body;

  // Spam: gone without a trace of what it was.
  EXPECT_EQ(PostThread(bob, "Cheap watches", "Buy now.").status, 200);
  queue = mod.Get("/f/igf/moderation");
  id = HeldId(queue.body, "Cheap watches");
  ASSERT_FALSE(id.empty()) << queue.body;
  EXPECT_EQ(mod.Post("/f/igf/moderation", {{"csrf", ParseCsrf(queue.body)}, {"held", id}, {"decision", "spam"}}).status,
            303);
  log = HttpGet(port(), "/f/igf/log");
  EXPECT_TRUE(Contains(log.body, "<td>rejected as spam</td>")) << log.body;
  EXPECT_FALSE(Contains(log.body, "Cheap watches"));
  EXPECT_FALSE(Contains(log.body, "example.net")) << "nor who sent it";
  EXPECT_FALSE(Contains(mod.Get("/f/igf/moderation").body, "Cheap watches"));

  // A plain rejection is logged and tells the sender why.
  int mail_before = capture_->MessageCount();
  EXPECT_EQ(PostThread(bob, "A question from Bob", "Is this the right list?").status, 200) << "spam counts for nothing";
  queue = mod.Get("/f/igf/moderation");
  id = HeldId(queue.body, "A question from Bob");
  ASSERT_FALSE(id.empty()) << queue.body;
  EXPECT_EQ(mod.Post("/f/igf/moderation", {{"csrf", ParseCsrf(queue.body)}, {"held", id}, {"decision", "reject"},
                                           {"reason", "off topic here"}})
                .status,
            303);
  Mail notice = WaitForMail(*capture_, "bob@example.net", "Re: A question from Bob", mail_before);
  EXPECT_TRUE(Contains(notice.body, "did not approve your post")) << notice.body;
  EXPECT_TRUE(Contains(notice.body, "off topic here")) << notice.body;
  log = HttpGet(port(), "/f/igf/log");
  EXPECT_TRUE(Contains(log.body, "<td>rejected</td><td>policy: A question from Bob")) << log.body;
  EXPECT_EQ(Db().ListThreads("igf", "policy", {}, 10).value().size(), 2u) << "Ana's two posts only";
  EXPECT_TRUE(Contains(mod.Get("/f/igf/moderation").body, "Nothing is waiting for a moderator."));
}

// --- 7. Joining by mail, leaving in one click ---

// Delivers `message` to the server's LMTP port; the recipient's reply code.
int DeliverByLmtp(const TempDir& dir, int port, const std::string& message, const std::string& recipient) {
  std::string file = dir.File("lmtp.eml");
  testing::WriteFile(file, message);
  std::string cmd = "/usr/bin/python3 " ROUNDTABLE_SOURCE_DIR "/tests/mail/lmtp_send.py " + std::to_string(port) + " " +
                    file + " '" + recipient + "'";
  FILE* out = popen(cmd.c_str(), "r");
  std::string json;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, out)) json.append(buf, n);
  pclose(out);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec) return -1;
  return static_cast<int>(v.as_object().at(recipient).as_array().at(0).as_int64());
}

TEST_F(ParticipationWebTest, JoinByConfirmedLinkAndLeaveByOneClick) {
  Start({"--public-url", "https://archive.example.test", "--lmtp", "127.0.0.1:0", "--held-first-posts", "0"});
  std::string lmtp = Find(server_->Stderr(), "by LMTP on 127\\.0\\.0\\.1:(\\d+)");
  ASSERT_FALSE(lmtp.empty()) << server_->Stderr();
  ASSERT_EQ(DeliverByLmtp(dir_, std::stoi(lmtp),
                          "From: Rita Reader <rita@example.org>\r\nTo: policy-join@lists.example.test\r\n"
                          "Subject: join\r\nMessage-ID: <join1@example.org>\r\n\r\njoin\r\n",
                          "policy-join@lists.example.test"),
            250);
  Mail confirm = WaitForMail(*capture_, "rita@example.org", "Confirm: join policy");
  EXPECT_TRUE(Contains(confirm.body, "https://archive.example.test/confirm?t=")) << confirm.body;
  Browser rita = NewBrowser();
  HttpReply button = rita.Get(LinkTo(confirm, "/confirm?t="));
  ASSERT_EQ(button.status, 200);
  EXPECT_FALSE(Subscribed("rita@example.org")) << "a GET confirms nothing";
  Fields confirm_form = {{"csrf", ParseCsrf(button.body)}, {"t", HiddenValue(button.body, "t")}};
  HttpReply joined = rita.Post("/confirm", confirm_form);
  EXPECT_EQ(joined.status, 200);
  EXPECT_TRUE(Contains(NoticeText(joined.body), "rita@example.org is now subscribed to policy")) << joined.body;
  EXPECT_TRUE(Subscribed("rita@example.org"));
  EXPECT_EQ(rita.Post("/confirm", confirm_form).status, 400) << "once only";

  // Over https, session cookies are Secure.
  AddUser("ana@example.org", "Ana Lima");
  Browser ana = NewBrowser();
  HttpReply signed_in = SignIn(ana, "ana@example.org");
  EXPECT_TRUE(Contains(SetCookie(signed_in, "rt_session"), "; Secure")) << SetCookie(signed_in, "rt_session");
  ASSERT_EQ(PostThread(ana, "Hello list", "A first message.").status, 303);
  Mail copy = WaitForMail(*capture_, "rita@example.org", "Hello list");
  EXPECT_TRUE(Contains(copy.headers, "List-Unsubscribe-Post: List-Unsubscribe=One-Click")) << copy.headers;
  std::string url = Find(copy.headers, "List-Unsubscribe: <([^>]+)>");
  ASSERT_EQ(url.rfind("https://archive.example.test/unsubscribe?", 0), 0u) << copy.headers;
  std::string path = PathOf(url);

  // A person opening the link gets a button; nothing changes until it is pressed.
  HttpReply page = HttpGet(port(), path);
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "<form method=\"post\" action=\"/unsubscribe?")) << page.body;
  EXPECT_TRUE(Subscribed("rita@example.org"));

  // A forged link does nothing: another signature, or another address under this one.
  HttpHeaders urlencoded = {{"Content-Type", "application/x-www-form-urlencoded"}};
  std::string tampered = path.substr(0, path.size() - 2) + (path.substr(path.size() - 2) == "AA" ? "BB" : "AA");
  std::string other_address = std::regex_replace(path, std::regex("a=rita%40example\\.org"), "a=ana%40example.org");
  ASSERT_NE(other_address, path);
  for (const std::string& forged : {tampered, other_address}) {
    HttpReply r = HttpFetch(port(), "POST", forged, urlencoded, "List-Unsubscribe=One-Click");
    EXPECT_EQ(r.status, 400) << forged;
    EXPECT_TRUE(Contains(ErrorText(r.body), "This unsubscribe link is not valid")) << r.body;
  }
  EXPECT_TRUE(Subscribed("rita@example.org"));

  // The mail client's one-click POST: no cookie, no CSRF token, the link is the proof.
  HttpReply left = HttpFetch(port(), "POST", path, urlencoded, "List-Unsubscribe=One-Click");
  EXPECT_EQ(left.status, 200) << left.body;
  EXPECT_FALSE(Subscribed("rita@example.org"));
}

// A subscriber by mail alone, with no account: their first post waits for a moderator,
// who approves it on the web; it is then archived and sent like any post, and their next
// one goes out at once.
TEST_F(ParticipationWebTest, ANewSubscribersFirstMailWaitsForAModeratorWhoApprovesItOnTheWeb) {
  Start({"--lmtp", "127.0.0.1:0"});
  std::string lmtp = Find(server_->Stderr(), "by LMTP on 127\\.0\\.0\\.1:(\\d+)");
  ASSERT_FALSE(lmtp.empty()) << server_->Stderr();
  Cli({"subscribe", "--forum", "igf", "--list", "policy", "rita@example.org"});
  Cli({"subscribe", "--forum", "igf", "--list", "policy", "sam@example.net"});
  AddUser("mod@example.org", "Maria Moderator");
  Cli({"user", "role", "mod@example.org", "moderator", "--forum", "igf", "--list", "policy"});
  auto mail = [](const std::string& id, const std::string& subject) {
    return "From: Rita Reader <rita@example.org>\r\nTo: policy@lists.example.test\r\nSubject: " + subject +
           "\r\nMessage-ID: <" + id + ">\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\nWords from Rita.\r\n";
  };
  ASSERT_EQ(DeliverByLmtp(dir_, std::stoi(lmtp), mail("rita1@example.org", "First from Rita"), "policy@lists.example.test"),
            250);
  EXPECT_EQ(Db().FindMessage("rita1@example.org").status().code(), Status::Code::kNotFound);
  Mail told = WaitForMail(*capture_, "mod@example.org", "First from Rita");
  EXPECT_TRUE(Contains(told.body, "/f/igf/moderation")) << told.body;

  Browser mod = SignedIn("mod@example.org");
  HttpReply queue = mod.Get("/f/igf/moderation");
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(Contains(queue.body, "first posts of a new subscriber")) << queue.body;
  std::string id = HeldId(queue.body, "First from Rita");
  ASSERT_FALSE(id.empty()) << queue.body;
  HttpReply approved =
      mod.Post("/f/igf/moderation", {{"csrf", ParseCsrf(queue.body)}, {"held", id}, {"decision", "approve"}});
  ASSERT_EQ(approved.status, 303) << ErrorText(approved.body);
  ASSERT_TRUE(Db().FindMessage("rita1@example.org").ok());
  Mail copy = WaitForMail(*capture_, "sam@example.net", "First from Rita");
  EXPECT_TRUE(Contains(copy.headers, "List-Id: IGF policy <policy.lists.example.test>")) << copy.headers;
  EXPECT_TRUE(Contains(copy.body, "Words from Rita.")) << copy.body;
  EXPECT_TRUE(Contains(HttpGet(port(), "/f/igf/log").body, "<td>approved</td><td>policy: First from Rita"));

  ASSERT_EQ(DeliverByLmtp(dir_, std::stoi(lmtp), mail("rita2@example.org", "Rita again"), "policy@lists.example.test"),
            250);
  EXPECT_TRUE(Db().FindMessage("rita2@example.org").ok()) << "known now: no longer held";
  WaitForMail(*capture_, "sam@example.net", "Rita again", copy.seq);
}

}  // namespace
}  // namespace rt
