#include "gateway/mail_inbound.h"

#include <cctype>
#include <stdexcept>

#include "gateway/bounces.h"
#include "gateway/held_notices.h"
#include "gateway/list_addresses.h"
#include "gateway/membership.h"
#include "mail/bounce_report.h"
#include "mime/mime_parser.h"
#include "people/address.h"
#include "util/ascii.h"
#include "util/clock.h"

namespace rt {

namespace {

LmtpReply Stored(const std::string& text) { return {250, "2.0.0 " + text}; }
LmtpReply TryLater(const Status& s) { return {451, "4.3.0 not stored, try again later: " + s.message()}; }

// The command a -request mail asks for: the subject's first word, else the body's.
std::string RequestedCommand(const ParsedMessage& m) {
  for (const std::string* text : {&m.subject, &m.body_text}) {
    std::size_t start = text->find_first_not_of(" \t\r\n");
    if (start == std::string::npos) continue;
    std::size_t end = text->find_first_of(" \t\r\n", start);
    std::string word = AsciiLower(text->substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (word == "subscribe" || word == "join") return "join";
    if (word == "unsubscribe" || word == "leave") return "leave";
    if (word == "help") return "help";
  }
  return "help";
}

}  // namespace

MailInbound::MailInbound(InboundOptions options) : options_(std::move(options)), commits_(options_.db) {
  Result<std::unique_ptr<Store>> store = Store::Open(options_.db, StoreOptions{4, false});
  if (!store.ok()) throw std::runtime_error(store.status().message());
  lists_store_ = std::move(store.value());
}

MailInbound::~MailInbound() = default;

Store& MailInbound::ThreadStore() {
  // One connection per delivery thread: SQLite connections are not shared across threads.
  thread_local std::map<const MailInbound*, std::unique_ptr<Store>> stores;
  std::unique_ptr<Store>& store = stores[this];
  if (!store) {
    Result<std::unique_ptr<Store>> opened = Store::Open(options_.db, StoreOptions{8, true});
    if (!opened.ok()) throw std::runtime_error(opened.status().message());
    store = std::move(opened.value());
  }
  return *store;
}

std::optional<MailInbound::Target> MailInbound::Resolve(const std::string& address) {
  std::string lower = AsciiLower(address);
  std::lock_guard lock(lists_mu_);
  auto lookup = [&]() -> std::optional<Target> {
    // The original address: a confirmation token after '+' is case-sensitive.
    std::optional<ListAddress> parsed = ParseListAddress(address, "", [&](std::string_view local) {
      std::size_t at = lower.rfind('@');
      return lists_by_address_.count(AsciiLower(std::string(local)) + lower.substr(at)) > 0;
    });
    if (!parsed) return std::nullopt;
    auto it = lists_by_address_.find(parsed->list_local_part + "@" + parsed->domain);
    if (it == lists_by_address_.end()) return std::nullopt;
    return Target{it->second, *parsed};
  };
  std::optional<Target> found = lookup();
  auto now = std::chrono::steady_clock::now();
  if (found && now - lists_read_ < std::chrono::seconds(1)) return found;
  if (!found && now - lists_read_ < std::chrono::milliseconds(100)) return found;
  lists_read_ = now;
  Result<std::vector<ForumInfo>> forums = lists_store_->Forums();
  if (!forums.ok()) return found;
  std::map<std::string, ListInfo> fresh;
  for (const ForumInfo& f : forums.value()) {
    Result<std::vector<ListInfo>> lists = lists_store_->Lists(f.slug);
    if (!lists.ok()) return found;
    for (ListInfo& l : lists.value()) fresh[AsciiLower(ListPostingAddress(l, options_.site))] = std::move(l);
  }
  lists_by_address_ = std::move(fresh);
  return lookup();
}

LmtpReply MailInbound::CheckRecipient(const std::string& address) {
  if (Resolve(address)) return {250, "2.1.5 ok"};
  return {550, "5.1.1 no such list here: " + address};
}

std::vector<LmtpReply> MailInbound::Deliver(const LmtpEnvelope& envelope, std::string message) {
  std::vector<LmtpReply> replies;
  Store& store = ThreadStore();
  for (const std::string& rcpt : envelope.recipients) {
    std::optional<Target> target = Resolve(rcpt);
    if (!target) {
      replies.push_back({550, "5.1.1 no such list here: " + rcpt});
      continue;
    }
    replies.push_back(DeliverOne(store, *target, message));
  }
  return replies;
}

LmtpReply MailInbound::DeliverOne(Store& store, const Target& target, const std::string& message) {
  switch (target.address.role) {
    case ListRole::kPost:
    case ListRole::kOwner: {
      thread_local MessageProcessor processor;
      Submission submission{message, SourceFormat::kLmtp, target.list, std::nullopt};
      Result<Intake> intake = TakeIn(store, processor, std::move(submission), options_.policy, UnixNow());
      if (!intake.ok()) return TryLater(intake.status());
      if (target.address.role == ListRole::kOwner) {
        // Mail for the people who run the list waits in their queue, never in the archive.
        if (NewPost* post = std::get_if<NewPost>(&intake.value())) {
          HeldMessage held;
          held.forum = post->forum;
          held.list = post->list;
          held.sender = post->item.parsed->from_address;
          held.subject = post->item.parsed->subject;
          held.message_id = post->item.parsed->message_id;
          held.raw = message;
          held.source = "email";
          intake.value() = std::move(held);
        }
        std::get<HeldMessage>(intake.value()).reason = "addressed to the list's owners";
      }
      std::optional<HeldMessage> held;
      if (const HeldMessage* h = std::get_if<HeldMessage>(&intake.value())) held = *h;
      CommitResult result = commits_.Submit(std::move(intake.value())).get();
      if (!result.status.ok()) return TryLater(result.status);
      if (result.held) {
        // The author hears back only when the list knows them: no backscatter to forgeries.
        bool known = !held->sender.empty() &&
                     (held->user_id != 0 || store.FindSubscription(held->forum, held->list, held->sender).ok());
        Status s = QueueHeldNotices(store, options_.site, *held, known);
        if (!s.ok()) return TryLater(s);
        return Stored("held for a moderator");
      }
      return Stored(result.post.duplicate ? "already archived" : "stored, queued to " + std::to_string(result.post.deliveries));
    }
    case ListRole::kRequest:
    case ListRole::kJoin:
    case ListRole::kLeave:
      return Command(store, target, message);
    case ListRole::kConfirm:
      return Confirm(store, target);
    case ListRole::kBounces:
      return Bounce(store, target, message);
  }
  return {550, "5.1.1 unknown list address"};
}

LmtpReply MailInbound::Command(Store& store, const Target& target, const std::string& message) {
  ParsedMessage m;
  if (!ParseMimeMessage(message, &m).ok() || m.from_address.empty())
    return {550, "5.6.0 a command needs a message with a From address"};
  std::string command = target.address.role == ListRole::kJoin    ? "join"
                        : target.address.role == ListRole::kLeave ? "leave"
                                                                  : RequestedCommand(m);
  std::string dedup = m.message_id.empty() ? "" : m.message_id;
  Status s;
  if (command == "help") {
    std::string posting = ListPostingAddress(target.list, options_.site);
    s = QueueNoticeMail(store, options_.site,
                        {m.from_address, "Help for " + target.list.name,
                         "To join, write to " + RoleAddress(posting, "join") + ".\nTo leave, write to " +
                             RoleAddress(posting, "leave") + ".\nTo post, write to " + posting +
                             ".\nThe archive: " + IdentityOf(target.list, options_.site).archive_url + "\n",
                         "", dedup.empty() ? "" : "help:" + dedup});
  } else {
    s = RequestMembershipChange(store, options_.site, target.list, m.from_address, command == "join", dedup);
  }
  if (!s.ok()) return TryLater(s);
  return Stored("confirmation sent");
}

LmtpReply MailInbound::Confirm(Store& store, const Target& target) {
  Result<std::string> done = ConfirmMembershipChange(store, options_.site, target.address.detail);
  if (done.ok()) return Stored(done.value());
  // A retried or stale confirmation: accepted, nothing to do (the MTA must not retry).
  if (done.status().code() == Status::Code::kNotFound) return Stored("nothing to confirm: " + done.status().message());
  return TryLater(done.status());
}

LmtpReply MailInbound::Bounce(Store& store, const Target& target, const std::string& message) {
  const std::string& subscriber = target.address.detail;
  if (subscriber.empty()) return Stored("bounce without a VERP address, ignored");
  switch (ClassifyBounce(message)) {
    case BounceKind::kDelay:
      return Stored("a delivery delay, not a failure: not counted");
    case BounceKind::kAutoReply:
      return Stored("an automatic reply, not a failure: not counted");
    case BounceKind::kFailure:
      break;
  }
  Result<BounceScore> score =
      CountBounce(store, options_.site, target.list, NormalizeAddress(subscriber), options_.bounces, UnixNow());
  if (!score.ok()) {
    if (score.status().code() == Status::Code::kNotFound) return Stored("bounce for a non-subscriber, ignored");
    return TryLater(score.status());
  }
  if (!score.value().counted) return Stored("bounce noted; one counted for this address in the last day already");
  return Stored(score.value().disabled_now ? "bounce recorded; delivery disabled" : "bounce recorded");
}

}  // namespace rt
