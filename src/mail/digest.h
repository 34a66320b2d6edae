#pragma once
// Digests: one message that carries a list's posts of a period, in the two forms
// Mailman sends: MIME (RFC 2046 multipart/digest) and plain text (RFC 1153).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mail/list_message.h"
#include "util/status.h"

namespace rt {

/// One post in a digest.
struct DigestEntry {
  std::string_view raw;  ///< the post as stored (RFC 5322 bytes); must outlive the call
  std::string from;      ///< the author as shown in the contents ("Jane Doe"), UTF-8
  std::string subject;   ///< UTF-8
  std::int64_t date = 0;  ///< Unix seconds
};

/// Which digest this is.
struct DigestIssue {
  int volume = 1;
  int number = 1;
  std::int64_t date = 0;   ///< when it is sent, Unix seconds: its Date header
  /// Without '<' '>'; empty: "digest.v<volume>.i<number>.<mime|plain>.<list>@<list domain>",
  /// the same for a re-run of the same issue, so a resent digest is recognised.
  std::string message_id;
};

/// "policy Digest, Vol 3, Issue 12", Mailman's subject and sign-off.
std::string DigestSubject(const ListIdentity& list, const DigestIssue& issue);

/// The MIME digest, as Mailman builds it: multipart/mixed of a text/plain masthead (how
/// to post, subscribe, reach the owner), a text/plain table of contents ("Today's
/// Topics": number, subject, author) and a multipart/digest holding each post whole as
/// a message/rfc822 part, in the order given (without an mbox "From " line and the
/// fields a list never passes on; line ends as LF). Headers: From the list's -request
/// address, To and Reply-To the list, Subject DigestSubject(), Date, Message-ID,
/// MIME-Version, and the list headers of ListCopier (List-Id, List-Post, ...,
/// List-Unsubscribe by mail only). For a per-subscriber one-click List-Unsubscribe pass
/// the digest through ListCopier::Make(digest, list, "", false).For(recipient), which
/// replaces the List-* fields. Texts are UTF-8, 7bit when ASCII, else quoted-printable;
/// the message/rfc822 parts and their containers are declared 8bit (or binary, for NUL
/// bytes, bare CR or lines over 998 bytes) when a post needs it. Lines end in LF (the
/// SMTP sender writes CRLF).
/// InvalidArgument for no entries, a bad message_id, or a list that ListCopier refuses.
/// Thread-safe; needs no GMime.
Result<std::string> MimeDigest(const ListIdentity& list, const DigestIssue& issue,
                               const std::vector<DigestEntry>& entries);

/// The plain-text digest (RFC 1153): masthead, table of contents, a line of 70
/// hyphens, then for each post "Message: N", its Date, From, Subject and Message-ID and
/// the text of its body (the text/plain part, or text made from the HTML part, decoded
/// to UTF-8 by the project's MIME parser; attachments listed by name, type and size),
/// posts separated by 30 hyphens, and "End of <subject>" underlined with asterisks. A
/// body line of 30 or more hyphens alone gets a leading space so it cannot be taken for
/// a separator. One text/plain; charset=UTF-8 part, 7bit when ASCII, else
/// quoted-printable. Headers as MimeDigest. A post that cannot be parsed is shown as
/// "[This message could not be read.]". Errors as MimeDigest.
/// REQUIRES: InitMime() was called.
Result<std::string> PlainDigest(const ListIdentity& list, const DigestIssue& issue,
                                const std::vector<DigestEntry>& entries);

/// `text` (UTF-8, LF line ends) as quoted-printable (RFC 2045 6.7): lines of at most 76
/// characters, trailing spaces and a leading "From " encoded. Exposed for tests.
std::string QuotedPrintable(std::string_view text);

/// "Tue, 24 Nov 2026 09:00:00 +0000" (RFC 5322 3.3, in UTC).
std::string FormatRfc5322Date(std::int64_t unix_seconds);

}  // namespace rt
