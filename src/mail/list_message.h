#pragma once
// What a list sends: a post's bytes with the list's headers, as Mailman 3's
// outgoing handlers (cleanse, dmarc munge_from, rfc-2369) make them. Pure functions:
// no network, no database.
//
// The header block is edited as text rather than through GMime: GMime re-serialises a
// whole message (re-folding headers, normalising boundaries and line ends), while a
// list must pass the body on byte for byte so the author's DKIM body hash still
// verifies. Fields the list keeps are copied exactly as they came; only the fields it
// adds or rewrites are written here, RFC 2047 encoded and folded.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// Who the list is, for its headers. All fields are UTF-8 without control characters.
struct ListIdentity {
  std::string list_name;    ///< "policy": shown in "Alice via policy" and digest subjects
  std::string forum;        ///< "igf" (informative; the List-Id is derived from `address`)
  std::string address;      ///< posting address "policy@lists.example.org": local part of
                            ///< letters, digits, '-', '_', '.'; no '+' (the sub-address separator)
  std::string description;  ///< "IGF policy discussion"; may be empty
  std::string archive_url;  ///< "https://x/f/igf/l/policy/": List-Archive; may be empty
  std::string base_url;     ///< "https://x": the site (digest mastheads); may be empty
  std::string subscribe_url;  ///< web page to join, in List-Subscribe; may be empty
};

/// One subscriber's copy.
struct Recipient {
  std::string address;  ///< where the copy goes (envelope; see mail/verp.h)
  /// One-click unsubscribe URL with a per-subscriber token (RFC 8058); https for the
  /// one-click header to be added. May be empty: then List-Unsubscribe is mailto only.
  std::string unsubscribe_url;
};

/// The RFC 2919 list identifier: the posting address with '@' turned into '.',
/// lower-cased ("policy@lists.example.org" -> "policy.lists.example.org"), as
/// Mailman 3 forms it (list_name.mail_host). Unique because addresses are, stable
/// across renames of the description, and its first label is the list name that
/// readers of archives (mime_parser's list hint) take from it.
std::string ListIdOf(std::string_view list_address);

/// The address of one of the list's roles: RoleAddress("policy@l.example", "leave")
/// == "policy-leave@l.example"; an empty role gives the posting address.
std::string RoleAddress(std::string_view list_address, std::string_view role);

/// Turns a post into the copies the list sends. Built once per post; For() then
/// costs a copy of the bytes plus one header per subscriber.
///
/// Headers in the copy, in order:
///  - the post's own fields, byte for byte, except those a list must not pass on:
///    Return-Path, Delivered-To, X-Original-To (delivery trace of the list's own
///    mailbox; a passed-on Delivered-To makes the next MTA see a forwarding loop),
///    every List-* field and Archived-At (only this list may say them; RFC 5064),
///    Approved/Approve/X-Approved/X-Approve (may carry a moderator password), Urgent,
///    Return-Receipt-To, Disposition-Notification-To, X-Confirm-Reading-To, X-PMRQC
///    (would let anyone harvest the membership), Bcc and Resent-Bcc;
///  - DKIM-Signature is kept, as Mailman keeps it: the body is unchanged, so the
///    author's signature still verifies unless it covers a rewritten From or headers
///    the list adds, and a signature that fails counts as no signature (RFC 6376 6.3);
///  - with rewrite_from (the author's domain publishes DMARC p=reject or quarantine;
///    see mail/dmarc.h), From becomes "<author's name> via <list_name>" <list address>
///    in place, as Mailman's munge_from, and the author's address is added to Reply-To
///    (kept if already there), so a reply still reaches the author. Reply-To, not Cc:
///    Mailman's choice when the list does not munge Reply-To itself. A name that looks
///    like an address loses its domain (several domains in From look like spam); no name
///    gives the address's local part;
///  - then List-Id ("description <policy.lists.example.org>"), List-Archive,
///    Archived-At (when archived_at is not empty), List-Help (mailto -request
///    ?subject=help), List-Post, List-Subscribe (subscribe_url, mailto -join),
///    Precedence: list (only when the post has no Precedence, as Mailman),
///    List-Unsubscribe (the recipient's URL, mailto -leave) and, for an https URL,
///    List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058).
/// New values are RFC 2047 encoded (UTF-8, Q) where not ASCII and folded at 78
/// columns where they have spaces; new lines end like the post's first line (CRLF or
/// LF). A leading mbox "From " line is dropped. The body, everything after the blank
/// line that ends the header block, is passed on byte for byte. A header block that
/// ends in a line that is neither a field nor a continuation (a missing blank line)
/// gets the blank line; the body starts at that line, unchanged.
class ListCopier {
 public:
  /// InvalidArgument when an input could inject a header or break one: a CR, LF or
  /// other control character in a list field or archived_at, an address that is not a
  /// plain local@domain, a URL that is not http(s) or holds spaces, quotes or '<' '>'
  /// (percent-encode them), or a value longer than a header line may be. BadFormat
  /// when `raw` holds no header field. REQUIRES: InitMime() was called (GMime reads
  /// the From address when rewrite_from is set). Copies what it needs of `raw`.
  static Result<ListCopier> Make(std::string_view raw, const ListIdentity& list, std::string_view archived_at,
                                 bool rewrite_from);

  /// The whole copy for `r`. InvalidArgument when r.unsubscribe_url is not a usable
  /// URL (see Make). Thread-safe (const).
  Result<std::string> For(const Recipient& r) const;

  /// The header block of r's copy, with the blank line that ends it, appended to *out;
  /// the copy is *out followed by body(), for writers that stream the body without
  /// copying it. Errors as For().
  Status AppendHeaders(const Recipient& r, std::string* out) const;
  std::string_view body() const { return body_; }

 private:
  ListCopier() = default;
  std::string prefix_;  // the header block up to the per-recipient fields
  std::string leave_mailto_;
  std::string eol_;
  std::string body_;
};

/// ListCopier::Make(...).For(r) in one call, for a single copy.
Result<std::string> ListCopy(std::string_view raw, const ListIdentity& list, const Recipient& r,
                             std::string_view archived_at, bool rewrite_from);

/// `raw` without a leading mbox "From " line and without the fields ListCopier never
/// passes on (see above); everything else byte for byte. For embedding stored posts
/// in digests.
std::string WithoutListStrippedFields(std::string_view raw);

// ---- Header-writing helpers, shared with the digests ----

/// `text` (UTF-8) as an RFC 5322 phrase (a display name, the List-Id description):
/// atoms as they are; a quoted-string when ASCII with specials; RFC 2047 encoded-words
/// (UTF-8, Q, at most 60 characters each) for the runs of words that are not ASCII.
/// Control characters become spaces.
std::string EncodePhrase(std::string_view text);

/// `text` (UTF-8) as unstructured header text (a Subject): as it is when ASCII,
/// otherwise with its non-ASCII words as encoded-words. Control characters become spaces.
std::string EncodeUnstructured(std::string_view text);

/// "Name: value" and `eol`, folded before spaces so lines stay within 78 columns where
/// the value allows (a long URL stays whole). REQUIRES: value holds no CR or LF.
std::string FoldField(std::string_view name, std::string_view value, std::string_view eol);

}  // namespace rt
