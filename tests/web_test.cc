// HTTP end-to-end: the real `roundtable serve` on loopback, spoken to over plain sockets.
// One server over a shared archive (a generated corpus plus tests/data/xss.mbox) answers
// most tests; tests that change the archive, stop the server or limit its rate start
// their own.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <regex>
#include <set>
#include <thread>

#include "test_util.h"

namespace rt {
namespace {

namespace json = boost::json;
using testing::HttpConnection;
using testing::HttpClientError;
using testing::HttpGet;
using testing::HttpFetch;
using testing::HttpHeaders;
using testing::HttpReply;
using testing::RunRoundtable;
using testing::ServerProcess;
using testing::TempDir;
using testing::TestDatabase;

std::string Generate(const TempDir& dir, const std::string& name, int messages, int seed) {
  return testing::GenerateArchive(dir, messages, name, seed, 2);
}

void Import(const std::string& db, const std::string& file) {
  testing::CommandResult r = RunRoundtable({"import", "--db", db, "--forum", "demo", "--no-progress", file});
  if (r.exit_code != 0) throw std::runtime_error("import " + file + " failed: " + r.err + r.out);
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

json::value Json(const HttpReply& reply) {
  boost::system::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (ec) throw std::runtime_error("not JSON: " + reply.body.substr(0, 200));
  return v;
}

// A JSON answer that must be a 200.
json::value Json200(int port, const std::string& target) {
  HttpReply r = HttpGet(port, target);
  if (r.status != 200) throw std::runtime_error(target + " answered " + std::to_string(r.status) + ": " + r.body);
  return Json(r);
}

// Message-IDs keep their '@' in paths, as people write them in links.
std::string Encode(std::string_view s) { return testing::PercentEncode(s, "@"); }

// What Python's XML parser (expat) makes of an Atom feed: "ok N" for a well-formed feed
// with N entries and the elements Atom requires, or what is wrong.
std::string CheckAtom(const std::string& xml) {
  TempDir dir;
  testing::WriteFile(dir.File("feed.xml"), xml);
  static const char* script =
      "import sys, xml.etree.ElementTree as E\n"
      "A = '{http://www.w3.org/2005/Atom}'\n"
      "try:\n"
      "    root = E.parse(sys.argv[1]).getroot()\n"
      "except E.ParseError as e:\n"
      "    print('not well-formed:', e); sys.exit()\n"
      "if root.tag != A + 'feed':\n"
      "    print('root is', root.tag); sys.exit()\n"
      "for el in [root] + root.findall(A + 'entry'):\n"
      "    for need in ('id', 'title', 'updated'):\n"
      "        if el.find(A + need) is None:\n"
      "            print(el.tag, 'has no', need); sys.exit()\n"
      "print('ok', len(root.findall(A + 'entry')))\n";
  testing::WriteFile(dir.File("check.py"), script);
  std::string cmd = "python3 " + dir.File("check.py") + " " + dir.File("feed.xml") + " 2>&1";
  std::FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "popen failed";
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The first markup in an HTML page that could run script: an inline <script>, an on*
// attribute, a javascript: URL. "" when there is none. A small tag scanner: text and
// attribute values are skipped, so escaped text ("&lt;img onerror=...") is not markup.
std::string ActiveMarkup(const std::string& html) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::size_t i = 0, n = html.size();
  while ((i = html.find('<', i)) != std::string::npos) {
    if (html.compare(i, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", i + 4);
      if (end == std::string::npos) return "unclosed comment";
      i = end + 3;
      continue;
    }
    std::size_t j = i + 1;
    if (j < n && html[j] == '/') ++j;
    if (j >= n || !std::isalpha(static_cast<unsigned char>(html[j]))) {
      ++i;
      continue;
    }
    std::size_t name_start = j;
    while (j < n && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-')) ++j;
    std::string tag = lower(html.substr(name_start, j - name_start));
    bool has_src = false;
    for (;;) {
      while (j < n && (std::isspace(static_cast<unsigned char>(html[j])) || html[j] == '/')) ++j;
      if (j >= n) return "unclosed tag <" + tag;
      if (html[j] == '>') break;
      std::size_t attr_start = j;
      while (j < n && !std::isspace(static_cast<unsigned char>(html[j])) && html[j] != '=' && html[j] != '>' &&
             html[j] != '/')
        ++j;
      std::string attr = lower(html.substr(attr_start, j - attr_start));
      std::string value;
      if (j < n && html[j] == '=') {
        ++j;
        if (j < n && (html[j] == '"' || html[j] == '\'')) {
          char quote = html[j];
          std::size_t end = html.find(quote, j + 1);
          if (end == std::string::npos) return "unclosed attribute value in <" + tag;
          value = html.substr(j + 1, end - j - 1);
          j = end + 1;
        } else {
          std::size_t start = j;
          while (j < n && !std::isspace(static_cast<unsigned char>(html[j])) && html[j] != '>') ++j;
          value = html.substr(start, j - start);
        }
      }
      if (StartsWith(attr, "on")) return "<" + tag + " " + attr + "=" + value + ">";
      std::string v = lower(value);
      v.erase(0, v.find_first_not_of(" \t\r\n"));
      if ((attr == "href" || attr == "src" || attr == "action" || attr == "formaction") &&
          (StartsWith(v, "javascript:") || StartsWith(v, "data:text/html")))
        return "<" + tag + " " + attr + "=" + value + ">";
      has_src |= attr == "src";
    }
    if (tag == "script" && html[i + 1] != '/' && !has_src) return "inline <script>";
    if (tag == "iframe" || tag == "object" || tag == "embed") return "<" + tag + ">";
    i = j + 1;
  }
  return "";
}

void ExpectSecurityHeaders(const HttpReply& r, const std::string& what) {
  std::string csp = r.Header("content-security-policy");
  EXPECT_TRUE(Contains(csp, "frame-ancestors 'none'")) << what << ": CSP " << csp;
  EXPECT_FALSE(Contains(csp, "unsafe-inline")) << what << ": CSP " << csp;
  EXPECT_FALSE(Contains(csp, "unsafe-eval")) << what << ": CSP " << csp;
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << what;
  std::string referrer = r.Header("referrer-policy");
  EXPECT_FALSE(referrer.empty()) << what;
  EXPECT_FALSE(Contains(referrer, "unsafe-url")) << what;
}

// --- The shared server ---

class WebTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      dir_ = new TempDir;
      corpus_ = Generate(*dir_, "a.mbox", 200, 1);
      db_ = TestDatabase(*dir_);
      Import(db_, corpus_);
      Import(db_, std::string(ROUNDTABLE_SOURCE_DIR) + "/tests/data/xss.mbox");
      server_ = new ServerProcess(db_);
      int port = server_->port();
      // The biggest governance thread, its first message and author; the xss thread.
      json::value stats = Json200(port, "/api/v1/forums/demo/stats");
      for (const json::value& t : stats.at("top_threads").as_array()) {
        if (t.at("list").as_string() == "governance") {
          thread_ = t.at("id").as_int64();
          break;
        }
      }
      json::value thread = Json200(port, "/api/v1/threads/" + std::to_string(thread_));
      const json::object& first = thread.at("messages").as_array().at(0).as_object();
      message_ = first.at("id").as_int64();
      message_id_ = std::string(first.at("message_id").as_string());
      person_ = first.at("person_id").as_int64();
      json::value xss = Json200(port, "/api/v1/forums/demo/lists/xss/threads");
      xss_thread_ = xss.at("threads").as_array().at(0).at("id").as_int64();
      json::value xss_messages = Json200(port, "/api/v1/threads/" + std::to_string(xss_thread_));
      for (const json::value& m : xss_messages.at("messages").as_array())
        for (const json::value& a : m.at("attachments").as_array()) xss_attachment_ = std::string(a.at("url").as_string());
    } catch (const std::exception& e) {
      setup_error_ = new std::string(e.what());
    }
  }

  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    delete setup_error_;
    server_ = nullptr;
    dir_ = nullptr;
    setup_error_ = nullptr;
  }

  void SetUp() override {
    ASSERT_EQ(setup_error_, nullptr) << *setup_error_;
    ASSERT_GT(thread_, 0);
  }

  static int port() { return server_->port(); }
  static HttpReply Get(const std::string& target, const HttpHeaders& headers = {}) {
    return HttpGet(port(), target, headers);
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string* setup_error_ = nullptr;
  static inline std::string db_, corpus_, message_id_, xss_attachment_;
  static inline std::int64_t thread_ = 0, message_ = 0, person_ = 0, xss_thread_ = 0;
};

TEST_F(WebTest, EveryPageTypeAnswersHtml) {
  std::string t = "/t/" + std::to_string(thread_);
  for (const std::string& target :
       {std::string("/"), std::string("/f/demo/"), std::string("/f/demo/l/governance/"), t + "?view=flat",
        t + "?view=nested", "/m/" + std::to_string(message_), "/p/" + std::to_string(person_),
        std::string("/search?q=governance"), std::string("/f/demo/stats")}) {
    HttpReply r = Get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_TRUE(StartsWith(r.Header("content-type"), "text/html")) << target << ": " << r.Header("content-type");
    EXPECT_TRUE(StartsWith(r.body, "<!doctype html>")) << target;
    EXPECT_TRUE(Contains(r.body, "</html>")) << target;
  }
  // The views differ, and each page shows what it is about.
  EXPECT_NE(Get(t + "?view=flat").body, Get(t + "?view=nested").body);
  EXPECT_TRUE(Contains(Get("/search?q=governance").body, "<mark>"));
  EXPECT_TRUE(Contains(Get("/f/demo/").body, "href=\"/f/demo/l/governance/\""));
  EXPECT_TRUE(Contains(Get("/f/demo/l/governance/").body, "href=\"" + t + "\""));
}

TEST_F(WebTest, FeedsAreWellFormedAtom) {
  for (const std::string& target : {std::string("/f/demo/l/governance/feed.atom"),
                                   "/t/" + std::to_string(thread_) + "/feed.atom", std::string("/f/demo/l/xss/feed.atom"),
                                   "/t/" + std::to_string(xss_thread_) + "/feed.atom"}) {
    HttpReply r = Get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_TRUE(StartsWith(r.Header("content-type"), "application/atom+xml")) << r.Header("content-type");
    std::string check = CheckAtom(r.body);
    EXPECT_TRUE(StartsWith(check, "ok ")) << target << ": " << check;
    EXPECT_NE(check, "ok 0") << target << ": a feed without entries";
    // Absolute links point at this server, not at the port it was asked for (0).
    EXPECT_TRUE(Contains(r.body, "href=\"http://127.0.0.1:" + std::to_string(port()) + "/")) << target;
    EXPECT_FALSE(Contains(r.body, "127.0.0.1:0/")) << target;
  }
}

TEST_F(WebTest, UnknownPagesAre404HtmlPages) {
  for (const char* target : {"/nope", "/f/nope/", "/f/demo/l/nope/", "/t/99999999", "/t/abc", "/m/0",
                             "/p/99999999", "/f/demo/l/governance/x/y", "/msgid/nobody@nowhere.example"}) {
    HttpReply r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_TRUE(StartsWith(r.Header("content-type"), "text/html")) << target << ": " << r.Header("content-type");
    EXPECT_TRUE(StartsWith(r.body, "<!doctype html>")) << target << ": " << r.body.substr(0, 100);
    EXPECT_FALSE(Contains(r.Header("cache-control"), "public")) << target;
  }
}

TEST_F(WebTest, AddressesThatAreNotUtf8TextAre400) {
  for (const char* target : {"/api/v1/forums/%FF", "/search?q=%00%FF", "/f/%C0%BC/", "/search?q=x&%FF=1"}) {
    HttpReply r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_TRUE(Contains(r.body, "not UTF-8")) << target << ": " << r.body;
  }
  HttpReply api = Get("/api/v1/forums/%FF");
  EXPECT_TRUE(boost::json::parse(api.body).is_object()) << api.body;  // still JSON
}

TEST_F(WebTest, HealthCheckIsPlainAndNeverCached) {
  HttpReply r = Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

TEST_F(WebTest, ApiErrorsAreJson) {
  struct Case {
    std::string target;
    int status;
    std::string code;
  };
  for (const Case& c : std::vector<Case>{{"/api/v1/forums/nope", 404, "not_found"},
                                         {"/api/v1/forums/demo/lists/nope/threads", 404, "not_found"},
                                         {"/api/v1/threads/99999999", 404, "not_found"},
                                         {"/api/v1/nope", 404, "not_found"},
                                         {"/api/v1/threads/abc", 400, "bad_request"},
                                         {"/api/v1/people/-3", 400, "bad_request"},
                                         {"/api/v1/search", 400, "bad_request"},
                                         {"/api/v1/search?q=%22unclosed", 400, "bad_request"},
                                         {"/api/v1/search?q=x&after=yesterday", 400, "bad_request"},
                                         // Paging that cannot be followed, not quietly the first page.
                                         {"/api/v1/forums/demo/lists/governance/threads?cursor=garbage", 400, "bad_request"},
                                         {"/api/v1/forums/demo/lists/governance/threads?limit=0", 400, "bad_request"},
                                         {"/api/v1/forums/demo/lists/governance/threads?limit=ten", 400, "bad_request"},
                                         {"/api/v1/search?q=x&cursor=-20", 400, "bad_request"},
                                         {"/api/v1/search?q=x&cursor=999999", 400, "bad_request"}}) {
    HttpReply r = Get(c.target);
    EXPECT_EQ(r.status, c.status) << c.target;
    EXPECT_TRUE(StartsWith(r.Header("content-type"), "application/json")) << c.target;
    json::value body = Json(r);
    ASSERT_TRUE(body.is_object()) << c.target;
    EXPECT_EQ(body.as_object().size(), 1u) << r.body;
    const json::object& error = body.at("error").as_object();
    EXPECT_EQ(error.at("code").as_string(), c.code) << c.target;
    EXPECT_FALSE(error.at("message").as_string().empty()) << c.target;
    EXPECT_EQ(error.size(), 2u) << r.body;
  }
  // A good request answers with data, not an error.
  HttpReply ok = Get("/api/v1/forums/demo");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(Json(ok).at("message_count").as_int64(), 203);
}

TEST_F(WebTest, OtherMethodsGet405WithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    for (const char* target : {"/f/demo/", "/api/v1/forums"}) {
      HttpReply r = HttpFetch(port(), method, target, {{"Content-Type", "application/x-www-form-urlencoded"}}, "a=1");
      EXPECT_EQ(r.status, 405) << method << " " << target;
      std::string allow = r.Header("allow");
      EXPECT_TRUE(Contains(allow, "GET")) << method << " " << target << ": Allow " << allow;
      EXPECT_FALSE(Contains(allow, method)) << allow;
      if (StartsWith(target, "/api/")) {
        EXPECT_TRUE(StartsWith(r.Header("content-type"), "application/json"));
        EXPECT_EQ(Json(r).at("error").at("code").as_string(), "method_not_allowed");
      }
    }
  }
  HttpReply head = HttpFetch(port(), "HEAD", "/f/demo/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.Has("etag"));
}

TEST_F(WebTest, SecurityHeadersOnEveryResponse) {
  std::string message = "/m/" + std::to_string(message_);
  HttpReply page = Get(message);
  std::vector<std::pair<std::string, HttpReply>> replies = {
      {"page", page},
      {"304", Get(message, {{"If-None-Match", page.Header("etag")}})},
      {"404 page", Get("/nope")},
      {"feed", Get("/f/demo/l/governance/feed.atom")},
      {"api", Get("/api/v1/forums")},
      {"api 404", Get("/api/v1/forums/nope")},
      {"raw", Get(message + "/raw")},
      {"attachment", Get(xss_attachment_)},
      {"redirect", Get("/f/demo")},
      {"lang", Get("/lang?set=en&back=/")},
      {"health", Get("/healthz")},
      {"msgid", Get("/msgid/" + Encode(message_id_))},
      {"405", HttpFetch(port(), "POST", "/", {}, "x")},
      {"bad target", Get("/search?q=%zz")},
  };
  std::smatch css;
  ASSERT_TRUE(std::regex_search(page.body, css, std::regex("/static/style\\.[0-9a-f]+\\.css")));
  replies.emplace_back("static", Get(css.str()));
  replies.emplace_back("gzip", Get(message, {{"Accept-Encoding", "gzip"}}));
  std::set<int> statuses;
  for (const auto& [what, reply] : replies) {
    statuses.insert(reply.status);
    ExpectSecurityHeaders(reply, what + " (" + std::to_string(reply.status) + ")");
  }
  // The list covers what it claims to.
  for (int status : {200, 301, 302, 303, 304, 400, 404, 405}) EXPECT_TRUE(statuses.count(status)) << status;
}

TEST_F(WebTest, EtagRevalidates) {
  std::string target = "/t/" + std::to_string(thread_);
  HttpReply first = Get(target);
  std::string etag = first.Header("etag");
  ASSERT_TRUE(StartsWith(etag, "\"")) << etag;
  HttpReply again = Get(target, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("etag"), etag);
  EXPECT_EQ(Get(target, {{"If-None-Match", "\"other\", W/" + etag}}).status, 304);
  HttpReply other = Get(target, {{"If-None-Match", "\"0000\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);
  // Another page has another validator.
  EXPECT_EQ(Get("/f/demo/", {{"If-None-Match", etag}}).status, 200);
  // API answers revalidate too.
  HttpReply api = Get("/api/v1/forums/demo/lists");
  ASSERT_TRUE(api.Has("etag"));
  EXPECT_EQ(Get("/api/v1/forums/demo/lists", {{"If-None-Match", api.Header("etag")}}).status, 304);
}

TEST_F(WebTest, LastModifiedRevalidates) {
  HttpReply first = Get("/f/demo/l/governance/");
  std::string last_modified = first.Header("last-modified");
  ASSERT_TRUE(std::regex_match(last_modified, std::regex("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT")))
      << last_modified;
  HttpReply again = Get("/f/demo/l/governance/", {{"If-Modified-Since", last_modified}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("/f/demo/l/governance/", {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}}).status, 200);
  EXPECT_EQ(Get("/f/demo/l/governance/", {{"If-Modified-Since", "not a date"}}).status, 200);
  // If-None-Match wins over If-Modified-Since.
  EXPECT_EQ(Get("/f/demo/l/governance/", {{"If-None-Match", "\"0000\""}, {"If-Modified-Since", last_modified}}).status,
            200);
}

TEST_F(WebTest, GzipWhenAcceptedDecompressesToTheSameBody) {
  HttpReply home = Get("/");
  std::smatch css;
  ASSERT_TRUE(std::regex_search(home.body, css, std::regex("/static/style\\.[0-9a-f]+\\.css")));
  for (const std::string& target : {"/t/" + std::to_string(thread_), std::string("/api/v1/threads/") + std::to_string(thread_),
                                   std::string("/f/demo/l/governance/feed.atom"), css.str()}) {
    HttpReply plain = Get(target);
    ASSERT_EQ(plain.status, 200) << target;
    EXPECT_FALSE(plain.Has("content-encoding")) << target;
    HttpReply gz = Get(target, {{"Accept-Encoding", "br, gzip, deflate"}});
    ASSERT_EQ(gz.status, 200) << target;
    EXPECT_EQ(gz.Header("content-encoding"), "gzip") << target;
    EXPECT_TRUE(Contains(gz.Header("vary"), "Accept-Encoding")) << target;
    EXPECT_LT(gz.body.size(), plain.body.size()) << target;
    EXPECT_EQ(testing::Gunzip(gz.body), plain.body) << target;
    EXPECT_EQ(gz.Header("content-type"), plain.Header("content-type")) << target;
  }
  // A coding the client refuses is not sent.
  for (const char* refuse : {"gzip;q=0", "gzip; q=0.0", "identity", "deflate, gzip;q=0.000"}) {
    HttpReply r = Get("/t/" + std::to_string(thread_), {{"Accept-Encoding", refuse}});
    EXPECT_FALSE(r.Has("content-encoding")) << refuse;
  }
  EXPECT_EQ(Get("/", {{"Accept-Encoding", "gzip;q=0.5"}}).Header("content-encoding"), "gzip");
}

TEST_F(WebTest, StaticAssetsHaveHashedNamesAndAreImmutable) {
  HttpReply home = Get("/");
  std::regex asset("/static/([a-z]+)\\.([0-9a-f]{8,})\\.(css|js)");
  int found = 0;
  for (auto it = std::sregex_iterator(home.body.begin(), home.body.end(), asset); it != std::sregex_iterator(); ++it) {
    ++found;
    std::string url = it->str();
    HttpReply r = Get(url);
    EXPECT_EQ(r.status, 200) << url;
    EXPECT_TRUE(Contains(r.Header("cache-control"), "immutable")) << url << ": " << r.Header("cache-control");
    EXPECT_TRUE(Contains(r.Header("cache-control"), "max-age=31536000")) << url;
    EXPECT_TRUE(Contains(r.Header("content-type"), (*it)[3] == "css" ? "text/css" : "javascript"))
        << url << ": " << r.Header("content-type");
    EXPECT_FALSE(r.body.empty());
    // Only the hashed name exists: neither the plain nor a wrong hash.
    std::string name = (*it)[1], ext = (*it)[3];
    EXPECT_EQ(Get("/static/" + name + "." + ext).status, 404) << name;
    EXPECT_EQ(Get("/static/" + name + ".0000000000." + ext).status, 404) << name;
  }
  EXPECT_EQ(found, 2) << "expected the stylesheet and the script";
  // Pages are not immutable.
  EXPECT_FALSE(Contains(home.Header("cache-control"), "immutable"));
}

TEST_F(WebTest, MsgidRedirectsToTheMessage) {
  HttpReply r = Get("/msgid/" + Encode(message_id_));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("location"), "/m/" + std::to_string(message_));
  // The xss corpus's first message, with angle brackets as mail clients quote it.
  HttpReply xss = Get("/msgid/" + Encode("<xss-1@example.org>"));
  HttpReply bare = Get("/msgid/xss-1@example.org");
  EXPECT_EQ(bare.status, 302);
  EXPECT_TRUE(StartsWith(bare.Header("location"), "/m/"));
  EXPECT_NE(bare.Header("location"), r.Header("location"));
  EXPECT_EQ(xss.status, 302);
  EXPECT_EQ(xss.Header("location"), bare.Header("location"));
}

TEST_F(WebTest, LanguageCookieAndOnlyLocalRedirects) {
  HttpReply r = Get("/lang?set=en&back=/f/demo/");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("location"), "/f/demo/");
  std::string cookie = r.Header("set-cookie");
  EXPECT_TRUE(StartsWith(cookie, "lang=en;")) << cookie;
  EXPECT_TRUE(Contains(cookie, "Path=/")) << cookie;
  for (const char* back : {"//evil.example", "//evil.example/f/demo/", "https://evil.example/", "/\\evil.example",
                           "\\\\evil.example", "evil.example", "", "/\r\nSet-Cookie: x=1", "/\t/evil.example",
                           "/\n/evil.example", "/ /evil.example"}) {
    HttpReply bad = Get("/lang?set=en&back=" + Encode(back));
    EXPECT_EQ(bad.status, 303) << back;
    EXPECT_EQ(bad.Header("location"), "/") << back;
  }
  // An unknown language sets no cookie.
  HttpReply unknown = Get("/lang?set=xx&back=/");
  EXPECT_EQ(unknown.status, 303);
  EXPECT_FALSE(unknown.Has("set-cookie"));
}

TEST_F(WebTest, AttachmentsAreDownloadsThatCannotRun) {
  json::value thread = Json(Get("/api/v1/threads/" + std::to_string(xss_thread_)));
  int checked = 0;
  std::set<std::string> declared;
  for (const json::value& m : thread.at("messages").as_array()) {
    for (const json::value& a : m.at("attachments").as_array()) {
      declared.insert(std::string(a.at("content_type").as_string()));
      std::string url(a.at("url").as_string());
      HttpReply r = Get(url);
      ASSERT_EQ(r.status, 200) << url;
      ++checked;
      std::string type = r.Header("content-type");
      for (const char* active : {"html", "svg", "xml", "javascript"})
        EXPECT_FALSE(Contains(type, active)) << url << ": " << type;
      EXPECT_TRUE(StartsWith(r.Header("content-disposition"), "attachment")) << r.Header("content-disposition");
      EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
      EXPECT_TRUE(Contains(r.Header("content-security-policy"), "sandbox"));
      EXPECT_EQ(static_cast<std::int64_t>(r.body.size()), a.at("size").as_int64()) << url;
      EXPECT_TRUE(Contains(r.body, "window.__xss")) << url;  // the bytes, as sent
    }
  }
  EXPECT_EQ(checked, 2);
  EXPECT_TRUE(declared.count("text/html") && declared.count("image/svg+xml"));
}

TEST_F(WebTest, ReplyByEmailIsAMailtoLinkThatThreads) {
  HttpReply r = Get("/t/" + std::to_string(xss_thread_));
  ASSERT_EQ(r.status, 200);
  std::size_t at = r.body.find("href=\"mailto:");
  ASSERT_NE(at, std::string::npos) << "no mailto link";
  std::string href = r.body.substr(at + 6, r.body.find('"', at + 6) - at - 6);
  EXPECT_TRUE(StartsWith(href, "mailto:xss-list@example.org?subject=Re")) << href;
  EXPECT_TRUE(Contains(href, "In-Reply-To=%3Cxss-1%40example.org%3E")) << href;
  EXPECT_FALSE(Contains(href, "<")) << href;
}

TEST_F(WebTest, AddressesInTextAreMasked) {
  // xss.mbox's first message quotes and signs with full addresses in its text.
  for (const std::string& target : {"/t/" + std::to_string(xss_thread_), "/api/v1/threads/" + std::to_string(xss_thread_),
                                    "/t/" + std::to_string(xss_thread_) + "/feed.atom", std::string("/search?q=contact")}) {
    HttpReply r = Get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_FALSE(Contains(r.body, "jane.roe@example.org")) << target;
    EXPECT_FALSE(Contains(r.body, "press-office@example.org")) << target;
  }
  EXPECT_TRUE(Contains(Get("/t/" + std::to_string(xss_thread_)).body, "jan*****@example.org"));
}

TEST_F(WebTest, RawMessageIsSandboxedPlainText) {
  json::value thread = Json(Get("/api/v1/threads/" + std::to_string(xss_thread_)));
  std::string raw_url(thread.at("messages").as_array().at(0).at("raw_url").as_string());
  HttpReply r = Get(raw_url);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(StartsWith(r.Header("content-type"), "text/plain")) << r.Header("content-type");
  std::string csp = r.Header("content-security-policy");
  EXPECT_TRUE(Contains(csp, "sandbox")) << csp;
  EXPECT_TRUE(Contains(csp, "default-src 'none'")) << csp;
  EXPECT_TRUE(Contains(r.body, "Message-ID: <xss-1@example.org>"));
  EXPECT_TRUE(Contains(r.body, "<script>window.__xss=1</script>"));  // verbatim: it is text
}

TEST_F(WebTest, HostileArchiveNeverBecomesMarkup) {
  json::value thread = Json(Get("/api/v1/threads/" + std::to_string(xss_thread_)));
  std::vector<std::string> targets = {
      "/", "/f/demo/", "/f/demo/l/xss/", "/f/demo/stats",
      "/t/" + std::to_string(xss_thread_), "/t/" + std::to_string(xss_thread_) + "?view=nested",
      "/t/" + std::to_string(xss_thread_) + "?view=flat", "/f/demo/l/xss/feed.atom",
      "/t/" + std::to_string(xss_thread_) + "/feed.atom", "/search?q=xss", "/search?q=window",
      "/search?q=" + Encode("<script>window.__xss=1</script>"), "/search?from=" + Encode("<script>"),
      "/search?q=x&list=" + Encode("\"><script>window.__xss=1</script>"),
      "/f/" + Encode("<script>window.__xss=1</script>") + "/", "/lang?set=en&back=" + Encode("\"><script>"),
      "/m/" + Encode("<img src=x onerror=alert(1)>")};
  std::set<std::int64_t> people;
  for (const json::value& m : thread.at("messages").as_array()) {
    targets.push_back("/m/" + std::to_string(m.at("id").as_int64()));
    if (m.at("person_id").is_int64()) people.insert(m.at("person_id").as_int64());
  }
  for (std::int64_t p : people) targets.push_back("/p/" + std::to_string(p));
  ASSERT_GE(people.size(), 2u);
  for (const std::string& target : targets) {
    HttpReply r = Get(target);
    EXPECT_TRUE(r.status == 200 || r.status == 303 || r.status == 404) << target << ": " << r.status;
    EXPECT_FALSE(Contains(r.body, "<script>window.__xss")) << target;
    EXPECT_FALSE(Contains(r.body, "<img src=x")) << target;
    if (StartsWith(r.Header("content-type"), "text/html")) {
      EXPECT_EQ(ActiveMarkup(r.body), "") << target;
    }
  }
  // The scanner itself finds what it is looking for.
  EXPECT_NE(ActiveMarkup("<p>a</p><img src=x onerror=\"f()\">"), "");
  EXPECT_NE(ActiveMarkup("<script>f()</script>"), "");
  EXPECT_NE(ActiveMarkup("<a href=' javascript:f()'>x</a>"), "");
  EXPECT_EQ(ActiveMarkup("<p title=\"a > b\">&lt;img onerror=x&gt;</p><script src=\"/s.js\"></script>"), "");
}

TEST_F(WebTest, ApiCursorWalksEveryThreadOnce) {
  std::int64_t expected = Json(Get("/api/v1/forums/demo/lists/governance")).at("thread_count").as_int64();
  ASSERT_GT(expected, 14) << "too few threads to need three pages";
  std::vector<std::int64_t> walked;
  std::string cursor;
  int pages = 0;
  for (;;) {
    std::string target = "/api/v1/forums/demo/lists/governance/threads?limit=7";
    if (!cursor.empty()) target += "&cursor=" + Encode(cursor);
    json::value page = Json(Get(target));
    const json::array& threads = page.at("threads").as_array();
    ++pages;
    ASSERT_LE(threads.size(), 7u);
    for (const json::value& t : threads) walked.push_back(t.at("id").as_int64());
    if (page.at("next_cursor").is_null()) break;
    ASSERT_EQ(threads.size(), 7u) << "a page before the last is short";
    cursor = std::string(page.at("next_cursor").as_string());
    ASSERT_LT(pages, 100) << "the cursor does not advance";
  }
  std::set<std::int64_t> unique(walked.begin(), walked.end());
  EXPECT_EQ(unique.size(), walked.size()) << "a thread came twice";
  EXPECT_EQ(static_cast<std::int64_t>(walked.size()), expected);
  EXPECT_EQ(pages, (expected + 6) / 7);
  // In the same order as one big page.
  std::vector<std::int64_t> at_once;
  json::value one_page = Json(Get("/api/v1/forums/demo/lists/governance/threads?limit=200"));
  for (const json::value& t : one_page.at("threads").as_array())
    at_once.push_back(t.at("id").as_int64());
  EXPECT_EQ(walked, at_once);
}

// --- Tests with servers of their own ---

int MessageCountOnPage(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("(\\d+) messages"))) return -1;
  return std::stoi(m[1]);
}

TEST_F(WebTest, PagesChangeWhenTheArchiveDoes) {
  TempDir dir;
  std::string db = TestDatabase(dir);
  Import(db, corpus_);
  ServerProcess server(db);
  HttpReply before = HttpGet(server.port(), "/f/demo/");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(MessageCountOnPage(before.body), 200);
  EXPECT_EQ(Json(HttpGet(server.port(), "/api/v1/forums/demo")).at("message_count").as_int64(), 200);
  // Cached now: the same again.
  EXPECT_EQ(HttpGet(server.port(), "/f/demo/").body, before.body);

  Import(db, Generate(dir, "b.mbox", 50, 2));
  HttpReply after = HttpGet(server.port(), "/f/demo/");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(MessageCountOnPage(after.body), 250);
  EXPECT_NE(after.Header("etag"), before.Header("etag"));
  EXPECT_EQ(Json(HttpGet(server.port(), "/api/v1/forums/demo")).at("message_count").as_int64(), 250);
  // A client holding the old page's validators gets the new page, whichever it sends.
  HttpReply by_etag = HttpGet(server.port(), "/f/demo/", {{"If-None-Match", before.Header("etag")}});
  EXPECT_EQ(by_etag.status, 200);
  EXPECT_EQ(MessageCountOnPage(by_etag.body), 250);
  HttpReply by_date = HttpGet(server.port(), "/f/demo/", {{"If-Modified-Since", before.Header("last-modified")}});
  EXPECT_EQ(by_date.status, 200) << "Last-Modified did not move: before " << before.Header("last-modified")
                                 << ", after " << after.Header("last-modified");
  EXPECT_EQ(MessageCountOnPage(by_date.body), 250);
}

TEST_F(WebTest, SigtermWhileRequestsAreInFlightExitsZero) {
  ServerProcess server(db_, {"--rate-limit", "0", "--threads", "2"});
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0}, unavailable{0}, truncated{0}, bad{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      int n = 0;
      while (!stop) {
        try {
          HttpConnection connection(server.port(), std::chrono::seconds(20));
          for (;;) {
            // Uncached pages (every target is new), so the server is busy rendering.
            std::string target = (n % 2 ? "/f/demo/stats?n=" : "/search?q=governance+policy&n=") +
                                  std::to_string(c) + "." + std::to_string(n);
            ++n;
            connection.Send("GET", target);
            HttpReply r = connection.Read();
            if (r.status == 200 && StartsWith(r.body, "<!doctype html>") && Contains(r.body, "</html>")) ++answered;
            else if (r.status == 503) ++unavailable;  // a polite refusal while stopping
            else ++bad;
            if (Contains(r.Header("connection"), "close")) break;
          }
        } catch (const HttpClientError& e) {
          if (e.got_bytes) ++truncated;  // a response cut short: never acceptable
          else if (Contains(e.what(), "connect")) return;  // the server is gone
        }
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (answered < 12 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  int exit_code = server.Stop(std::chrono::seconds(15));
  stop = true;
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(exit_code, 0) << server.Stderr();
  EXPECT_GE(answered, 12) << "the server was not busy when it was stopped";
  EXPECT_EQ(truncated, 0);
  EXPECT_EQ(bad, 0) << unavailable << " answered 503";
  EXPECT_TRUE(Contains(server.Stderr(), "stopped")) << server.Stderr();
  EXPECT_THROW(HttpConnection(server.port(), std::chrono::seconds(1)), HttpClientError) << "still listening";
}

TEST_F(WebTest, RateLimitAnswers429ToABurst) {
  ServerProcess server(db_, {"--rate-limit", "5"});
  int ok = 0, limited = 0;
  std::string retry_after, limited_csp;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 30; ++i) {
    HttpReply r = HttpGet(server.port(), "/api/v1/forums");
    if (r.status == 200) ++ok;
    else if (r.status == 429) {
      ++limited;
      retry_after = r.Header("retry-after");
      limited_csp = r.Header("content-security-policy");
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(ok + limited, 30);
  // A bucket of 2 x 5 requests, refilled at 5 a second.
  EXPECT_GE(ok, 10) << "the burst allowance was not honoured";
  EXPECT_LE(ok, 10 + static_cast<int>(5 * seconds) + 1) << "in " << seconds << " s";
  EXPECT_GE(limited, 1);
  EXPECT_GE(std::atoi(retry_after.c_str()), 1) << retry_after;
  EXPECT_TRUE(Contains(limited_csp, "frame-ancestors 'none'")) << "the server's own 429 lacks the security headers";
  // The shared server runs unlimited: the same burst passes.
  int shared_ok = 0;
  for (int i = 0; i < 30; ++i) shared_ok += Get("/api/v1/forums").status == 200;
  EXPECT_EQ(shared_ok, 30);
}

}  // namespace
}  // namespace rt
