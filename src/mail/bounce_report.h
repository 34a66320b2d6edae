#pragma once
// What a message that came back to a VERP bounce address says of the delivery. VERP
// already names the subscriber; this tells a failure from mail that is none, so an
// absent subscriber's holiday replies or a relay's "still trying" notices do not end
// their subscription.

#include <string_view>

namespace rt {

enum class BounceKind {
  kFailure,    ///< a DSN with a failed recipient, or any other returned message
  kDelay,      ///< a DSN (RFC 3464) none of whose recipients failed: delayed, relayed, delivered
  kAutoReply,  ///< an automatic reply (RFC 3834 "Auto-Submitted: auto-replied") that is no DSN
               ///< and does not come from a mailer daemon or postmaster
};

/// Reads `raw` as a message. A message too damaged to read is a failure, as a bounce
/// in a format no standard describes is (old MTAs send plain text). Thread-safe after
/// InitMime().
BounceKind ClassifyBounce(std::string_view raw);

}  // namespace rt
