#pragma once
// Sends the outbound queue through an SMTP relay, on its own thread: claims due
// deliveries, makes each subscriber's copy (list headers, VERP sender, one-click
// unsubscribe, DMARC From rewriting), sends it, records the outcome. Retries back off;
// a crash leaves claimed deliveries to come back when their lease ends.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/notices.h"
#include "mail/dmarc.h"
#include "mail/smtp_client.h"
#include "store/store.h"

namespace rt {

struct SenderOptions {
  std::string db;
  MailSite site;
  SmtpOptions smtp;
  std::string signing_key;  ///< for one-click unsubscribe links
  /// Deliveries claimed at once: what a crashed node leaves waiting for its lease (a
  /// stopped one gives them back), so a small batch; a claim costs one short transaction.
  int batch = 50;
  /// Long enough for a batch through a slow relay (every SMTP step has its timeout), so
  /// no other node takes a claim while it is being sent.
  std::int64_t lease_seconds = 600;
  /// Retries after a temporary failure: 1, 5, 30 minutes, then every 2 hours; after this
  /// many attempts a delivery fails for good.
  int max_attempts = 30;
  /// A relay's permanent refusal (5xx) of a list copy counts as a bounce.
  BounceRules bounces;
  /// nullptr: the real DNS (cached). Tests and offline sites pass their own.
  std::shared_ptr<DmarcResolver> dmarc;
  /// Daily digests are queued from this hour (UTC) on; -1: never (a cron job runs
  /// `roundtable digest` instead).
  int digest_hour = 0;
  /// Copies handed to the relay per second at most; 0: as fast as it takes them. For an
  /// MTA on the web server's own cores, whose work per copy is what slows the pages
  /// while a large list's copies go out (docs/PERFORMANCE.md).
  int copies_per_second = 0;
  /// Pages first: while this says the web server is saturated, copies go at most
  /// `copies_per_second_while_busy` a second (the relay's work per copy would otherwise
  /// take CPU from the pages). nullptr, or 0: never slowed.
  std::function<bool()> web_busy;
  int copies_per_second_while_busy = 200;
};

class MailSender {
 public:
  /// Throws std::runtime_error when the database cannot be opened.
  explicit MailSender(SenderOptions options);
  ~MailSender();  ///< Stop()
  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  void Start();
  /// Finishes the delivery in hand, gives back what it claimed and did not send (due at
  /// once, for any node), then returns. After a crash instead, claims come back when their
  /// lease ends.
  void Stop();
  /// Sends what is due now, on the calling thread, until nothing is; the thread does this
  /// every second, and queues the day's digests once their hour has come.
  Status SendDue();

 private:
  void Run();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rt
