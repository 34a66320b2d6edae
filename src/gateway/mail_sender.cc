#include "gateway/mail_sender.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include <map>
#include <stdexcept>
#include <thread>

#include <pthread.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gateway/bounces.h"
#include "gateway/digest_job.h"
#include "gateway/list_addresses.h"
#include "gateway/unsubscribe_link.h"
#include "mail/list_message.h"
#include "mail/verp.h"
#include "people/address.h"
#include "util/clock.h"

namespace rt {

namespace {

std::int64_t Backoff(int attempts) {
  static constexpr std::int64_t kSteps[] = {60, 300, 1800};
  return attempts <= 3 ? kSteps[attempts - 1] : 7200;
}

// What one post or digest needs to make each subscriber's copy, made once.
struct PostCopies {
  std::string list_address;
  std::int64_t list_id = 0;
  ListCopier copier;
};

}  // namespace

struct MailSender::Impl {
  SenderOptions options;
  std::unique_ptr<Store> store;
  SmtpClient smtp;
  std::map<std::int64_t, std::shared_ptr<const PostCopies>> posts;  // by outbound id
  std::chrono::steady_clock::time_point next_copy;  // when WaitForTurn lets the next one go

  explicit Impl(SenderOptions o) : options(std::move(o)), smtp(options.smtp) {
    Result<std::unique_ptr<Store>> opened = Store::Open(options.db, StoreOptions{16, false});
    if (!opened.ok()) throw std::runtime_error(opened.status().message());
    store = std::move(opened.value());
    if (!options.dmarc) options.dmarc = std::shared_ptr<DmarcResolver>(NewDmarcResolver());
  }

  // A post (from the archive) or a digest (from the queue), made personal per recipient.
  Result<std::shared_ptr<const PostCopies>> CopiesFor(const DueDelivery& d) {
    if (auto it = posts.find(d.outbound_id); it != posts.end()) return it->second;
    Result<ListInfo> list = store->ListById(d.list_id);
    if (!list.ok()) return list.status();
    bool post = d.kind == "post";
    Result<std::string> raw = post ? store->RawMessage(d.message) : store->OutboundRaw(d.outbound_id);
    if (!raw.ok()) return raw.status();
    bool rewrite = false;
    if (post) {
      Result<MessageView> message = store->Message(d.message);
      if (!message.ok()) return message.status();
      std::string_view domain = AddressDomain(message.value().from_address);
      rewrite = !domain.empty() && ShouldRewriteFrom(*options.dmarc, domain);
    }
    ListIdentity identity = IdentityOf(list.value(), options.site);
    std::string archived_at = post ? options.site.base_url + "/m/" + std::to_string(d.message) : "";
    Result<ListCopier> copier = ListCopier::Make(raw.value(), identity, archived_at, rewrite);
    if (!copier.ok()) return copier.status();
    if (posts.size() > 64) posts.clear();  // a post's copies are made in one go; old ones are done
    auto copies = std::make_shared<const PostCopies>(
        PostCopies{identity.address, list.value().id, std::move(copier.value())});
    posts[d.outbound_id] = copies;
    return copies;
  }

  // The envelope sender and bytes of one delivery.
  Status Compose(const DueDelivery& d, std::string* from, std::string* bytes) {
    if (d.kind == "notice") {
      Result<std::string> raw = store->OutboundRaw(d.outbound_id);
      if (!raw.ok()) return raw.status();
      *from = d.envelope_from;
      *bytes = std::move(raw.value());
      return Status::Ok();
    }
    Result<std::shared_ptr<const PostCopies>> copies = CopiesFor(d);
    if (!copies.ok()) return copies.status();
    const PostCopies& c = *copies.value();
    Result<std::string> verp = VerpSender(c.list_address, d.address);
    if (!verp.ok()) return verp.status();
    Recipient r{d.address, UnsubscribeUrl(options.site.base_url, options.signing_key, c.list_id, d.address)};
    Result<std::string> copy = c.copier.For(r);
    if (!copy.ok()) return copy.status();
    *from = std::move(verp.value());
    *bytes = std::move(copy.value());
    return Status::Ok();
  }

  // How a delivery went, from the SMTP reply code. A recipient the relay refused for good
  // is a bounce, recorded at once; a refusal of the whole message (its size, its content,
  // the relay's own trouble) says nothing of the subscriber.
  Result<DeliveryReport> Outcome(const DueDelivery& d, int code, const std::string& text, bool recipient_refused) {
    if (code >= 200 && code < 300) return DeliveryReport{d, DeliveryResult::kSent, "", 0};
    bool permanent = code >= 500 || d.attempts >= options.max_attempts;
    if (permanent && recipient_refused && d.kind != "notice" && code >= 500) {
      Result<ListInfo> list = store->ListById(d.list_id);
      if (!list.ok()) return list.status();
      Result<BounceScore> score = CountBounce(*store, options.site, list.value(), d.address, options.bounces, UnixNow());
      if (!score.ok() && score.status().code() != Status::Code::kNotFound) return score.status();
    }
    return DeliveryReport{d, permanent ? DeliveryResult::kFailed : DeliveryResult::kRetry,
                          std::to_string(code) + " " + text, UnixNow() + Backoff(d.attempts)};
  }

  // Waits until the next copy may go, under SenderOptions::copies_per_second and, while
  // the web server is saturated, copies_per_second_while_busy: at most one interval, so
  // stopping is never held up by more than a second.
  void WaitForTurn() {
    int rate = options.copies_per_second;
    bool busy = options.copies_per_second_while_busy > 0 && options.web_busy && options.web_busy();
    if (busy && (rate <= 0 || options.copies_per_second_while_busy < rate)) rate = options.copies_per_second_while_busy;
    if (rate <= 0) return;
    auto now = std::chrono::steady_clock::now();
    if (next_copy > now) std::this_thread::sleep_until(next_copy);
    next_copy = std::max(now, next_copy) + std::chrono::nanoseconds(1'000'000'000 / rate);
  }

  // One batch; how many deliveries it held. Each outcome is written as soon as the relay
  // answered, so a crash resends at most the one copy in flight (SMTP cannot do better).
  // When `stopping` turns true, the claims not yet sent are given back at once, so
  // another node (or this one, restarted) sends them without waiting out the lease.
  Result<std::size_t> SendBatch(const std::function<bool()>& stopping) {
    Result<std::vector<DueDelivery>> due = store->ClaimDeliveries(UnixNow(), options.lease_seconds, options.batch);
    if (!due.ok()) return due.status();
    for (std::size_t i = 0; i < due.value().size(); ++i) {
      if (stopping()) {
        std::vector<DeliveryReport> released;
        for (std::size_t j = i; j < due.value().size(); ++j)
          released.push_back({due.value()[j], DeliveryResult::kRetry, "given back when the server stopped", UnixNow()});
        Status s = store->FinishDeliveries(released);
        if (!s.ok()) return s;
        break;
      }
      const DueDelivery& d = due.value()[i];
      std::string from, bytes;
      Status composed = Compose(d, &from, &bytes);
      Result<DeliveryReport> report = DeliveryReport{};
      if (!composed.ok()) {
        // A copy that cannot be made will not be made by trying again.
        report = DeliveryReport{d, DeliveryResult::kFailed, composed.message(), 0};
      } else {
        WaitForTurn();
        Result<SmtpSendResult> sent = smtp.Send(from, {d.address}, bytes);
        if (!sent.ok()) {
          report = Outcome(d, 451, sent.status().message(), false);
        } else {
          const SmtpSendResult& r = sent.value();
          bool recipient_refused =
              !r.recipients.empty() && (r.recipients[0].code < 200 || r.recipients[0].code >= 300);
          report = recipient_refused ? Outcome(d, r.recipients[0].code, r.recipients[0].text, true)
                                     : Outcome(d, r.code, r.text, false);
        }
      }
      if (!report.ok()) return report.status();
      Status s = store->FinishDeliveries({report.value()});
      if (!s.ok()) return s;
    }
    return due.value().size();
  }
};

MailSender::MailSender(SenderOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

MailSender::~MailSender() { Stop(); }

void MailSender::Start() {
  thread_ = std::thread([this] { Run(); });
}

void MailSender::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status MailSender::SendDue() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Status::Ok();
    }
    Result<std::size_t> sent = impl_->SendBatch([this] {
      std::lock_guard lock(mu_);
      return stopping_;
    });
    if (!sent.ok()) return sent.status();
    if (sent.value() == 0) {
      impl_->smtp.Disconnect();
      return Status::Ok();
    }
  }
}

void MailSender::Run() {
  // Mail takes the CPU readers leave: pages stay fast while a post goes to thousands.
  // SCHED_IDLE, not a nice value: at nice 10 the sender still took a fifth of a busy
  // machine, and the saturated page p99 tripled while sending (docs/PERFORMANCE.md).
  // Linux schedules threads on their own, so only this one is affected.
  sched_param idle{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0)
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
  std::int64_t next_digest_check = 0;
  for (;;) {
    std::int64_t now = UnixNow();
    if (impl_->options.digest_hour >= 0 && now >= next_digest_check) {
      Result<int> digests =
          QueueDueDigests(*impl_->store, impl_->options.site, now, LastDigestTime(now, impl_->options.digest_hour));
      if (!digests.ok()) spdlog::warn("queueing digests: {}", digests.status().message());
      next_digest_check = now + 60;
    }
    Status s = SendDue();
    // A failed batch (the database busy, say) is tried again at the next tick.
    if (!s.ok()) spdlog::warn("sending mail: {}", s.message());
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
  }
}

}  // namespace rt
