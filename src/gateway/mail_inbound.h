#pragma once
// What the list server does with mail the MTA hands over by LMTP, in the manner of
// Mailman 3's runners: a post goes through the intake (stored and sent, or held); the
// -request, -join, -leave and -confirm addresses run commands with a confirmation round
// trip; -bounces counts failed deliveries (VERP; gateway/bounces.h). "250" only once the result is durable.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/commit_queue.h"
#include "gateway/notices.h"
#include "mail/lmtp_session.h"
#include "mail/verp.h"

namespace rt {

struct InboundOptions {
  std::string db;
  MailSite site;
  PostPolicy policy;
  BounceRules bounces;  ///< when bounces disable a subscription
};

class MailInbound : public LmtpHandler {
 public:
  /// Throws std::runtime_error when the database cannot be opened.
  explicit MailInbound(InboundOptions options);
  ~MailInbound() override;

  LmtpReply CheckRecipient(const std::string& address) override;
  std::vector<LmtpReply> Deliver(const LmtpEnvelope& envelope, std::string message) override;

 private:
  struct Target {
    ListInfo list;
    ListAddress address;
  };
  // The list and role an address names; nullopt for none. Lists are re-read at most
  // every second, and at once for an address not seen before (a list just created).
  std::optional<Target> Resolve(const std::string& address);
  LmtpReply DeliverOne(Store& store, const Target& target, const std::string& message);
  LmtpReply Command(Store& store, const Target& target, const std::string& message);
  LmtpReply Confirm(Store& store, const Target& target);
  LmtpReply Bounce(Store& store, const Target& target, const std::string& message);
  Store& ThreadStore();

  InboundOptions options_;
  CommitQueue commits_;
  std::mutex lists_mu_;
  std::unique_ptr<Store> lists_store_;
  std::map<std::string, ListInfo> lists_by_address_;  // lower-cased posting address
  std::chrono::steady_clock::time_point lists_read_{};
};

}  // namespace rt
