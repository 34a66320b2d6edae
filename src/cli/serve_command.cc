// roundtable serve: the web archive and the API over HTTP.

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "cli/commands.h"
#include "cli/mail_site.h"
#include "cli/open_store.h"
#include "gateway/mail_inbound.h"
#include "gateway/mail_sender.h"
#include "mail/lmtp_server.h"
#include "mime/charset.h"
#include "web/http_server.h"
#include "web/web_app.h"

namespace rt {

namespace {

// "host:port", "[v6]:port", ":port" -> host, port.
bool ParseListen(const std::string& listen, std::string* host, std::uint16_t* port) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  if (host->empty()) *host = "0.0.0.0";
  try {
    std::size_t used = 0;
    unsigned long p = std::stoul(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || p > 65535) return false;
    *port = static_cast<std::uint16_t>(p);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

std::shared_ptr<spdlog::logger> AccessLogger(const std::string& target) {
  if (target == "off") return nullptr;
  std::shared_ptr<spdlog::logger> logger;
  if (target == "-") {
    logger = spdlog::stderr_logger_mt("access");
  } else {
    logger = spdlog::basic_logger_mt("access", target);
  }
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
  return logger;
}

}  // namespace

int RunServe(const ServeArgs& args) {
  std::string host;
  std::uint16_t port = 0;
  if (!ParseListen(args.listen, &host, &port)) {
    std::fprintf(stderr, "roundtable: --listen %s: expected HOST:PORT, e.g. 127.0.0.1:8080\n", args.listen.c_str());
    return kExitUsage;
  }
  // Created (and migrated) here, so the server never starts on a typo'd path silently.
  if (!OpenStoreOrReport(args.db, false)) return kExitDatabase;

  std::unique_ptr<WebApp> app;  // made once listening, when the port is known (--listen HOST:0)
  std::shared_ptr<spdlog::logger> access;
  try {
    access = AccessLogger(args.access_log);
  } catch (const spdlog::spdlog_ex& e) {
    std::fprintf(stderr, "roundtable: --access-log %s: %s\n", args.access_log.c_str(), e.what());
    return kExitUsage;
  }

  HttpServerOptions options;
  options.host = host;
  options.port = port;
  options.threads = args.threads;
  options.max_connections = args.max_connections;
  options.rate_per_second = args.rate_limit;
  options.trusted_proxies = args.trusted_proxies;
  options.max_body_bytes = 12 << 20;  // a post with attachments (10 MB of them)
  options.error_headers = SecurityHeaders();
  if (access)
    options.access_log = [access](const AccessLogEntry& e) {
      // Requests carry any bytes; each log line stays valid JSON.
      boost::json::object line{{"ts", e.unix_ms},       {"client", e.client},
                               {"method", MakeValidUtf8(e.method)},
                               {"target", MakeValidUtf8(e.target)},
                               {"status", e.status},    {"bytes", e.bytes},
                               {"us", e.micros},        {"ua", MakeValidUtf8(e.user_agent)}};
      access->info(boost::json::serialize(line));
    };
  HttpServer server(
      options, [&app](const HttpRequest& r) { return app->Handle(r); },
      [&app](const HttpRequest& r) { return app->TryCached(r); });
  Status listening = server.Listen();
  if (!listening.ok()) {
    std::fprintf(stderr, "roundtable: %s\n", listening.message().c_str());
    return kExitUsage;
  }
  std::string origin = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                       std::to_string(server.port());
  WebOptions web;
  web.db = args.db;
  web.base_url = !args.public_url.empty() ? args.public_url : origin;
  while (!web.base_url.empty() && web.base_url.back() == '/') web.base_url.pop_back();
  web.cache_bytes = args.cache_mib << 20;
  web.store_cache_mib = args.db_cache_mib;
  web.mail = MailSiteFor(web.base_url, args.mail_domain, args.site_address);
  web.policy.held_first_posts = args.held_first_posts;
  web.policy.posts_per_hour = args.posts_per_hour;

  BounceRules bounces;
  bounces.disable_after = args.bounces_to_disable;

  std::unique_ptr<MailInbound> inbound;
  std::unique_ptr<LmtpServer> lmtp;
  std::unique_ptr<MailSender> sender;
  try {
    app = std::make_unique<WebApp>(web);
    if (!args.lmtp.empty()) {
      std::string lmtp_host;
      std::uint16_t lmtp_port = 0;
      if (!ParseListen(args.lmtp, &lmtp_host, &lmtp_port)) {
        std::fprintf(stderr, "roundtable: --lmtp %s: expected HOST:PORT, e.g. 127.0.0.1:8024\n", args.lmtp.c_str());
        return kExitUsage;
      }
      inbound = std::make_unique<MailInbound>(InboundOptions{args.db, web.mail, web.policy, bounces});
      LmtpOptions lmtp_options;
      lmtp_options.host = lmtp_host;
      lmtp_options.port = lmtp_port;
      lmtp = std::make_unique<LmtpServer>(lmtp_options, *inbound);
      Status s = lmtp->Listen();
      if (!s.ok()) {
        std::fprintf(stderr, "roundtable: %s\n", s.message().c_str());
        return kExitUsage;
      }
      lmtp->Start();
      std::fprintf(stderr, "roundtable: taking list mail by LMTP on %s:%d\n", lmtp_host.c_str(), lmtp->port());
    }
    if (!args.smtp.empty()) {
      SenderOptions send;
      send.db = args.db;
      send.site = web.mail;
      std::uint16_t smtp_port = 0;
      if (!ParseListen(args.smtp, &send.smtp.host, &smtp_port)) {
        std::fprintf(stderr, "roundtable: --smtp %s: expected HOST:PORT, e.g. 127.0.0.1:25\n", args.smtp.c_str());
        return kExitUsage;
      }
      send.smtp.port = smtp_port;
      send.smtp.helo_name = web.mail.domain;
      send.signing_key = app->SigningKey();
      send.digest_hour = args.digest_hour;
      send.copies_per_second = args.smtp_rate;
      send.copies_per_second_while_busy = args.smtp_busy_rate;
      send.web_busy = [&server] { return server.Saturated(); };
      send.bounces = bounces;
      sender = std::make_unique<MailSender>(send);
      sender->Start();
    } else {
      std::fprintf(stderr, "roundtable: no --smtp relay: outgoing mail stays queued until one is given\n");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "roundtable: %s\n", e.what());
    return kExitDatabase;
  }
  std::fprintf(stderr, "roundtable: serving %s on %s (Ctrl-C to stop)\n", DescribeDatabaseLocation(args.db).c_str(), origin.c_str());
  server.Run();
  if (lmtp) lmtp->Stop();
  if (sender) sender->Stop();
  if (access) access->flush();
  std::fprintf(stderr, "roundtable: stopped\n");
  return kExitOk;
}

}  // namespace rt
