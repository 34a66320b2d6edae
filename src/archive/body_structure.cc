#include "archive/body_structure.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

namespace rt {
namespace {

// Real attribution lines are short; the caps also keep the per-line work bounded on
// pathological input (a single multi-megabyte line).
constexpr size_t kMaxDatedAttributionBytes = 400;
constexpr size_t kMaxUndatedAttributionBytes = 200;
constexpr size_t kMaxLotusHeaderBytes = 200;
constexpr size_t kMaxIntroBytes = 80;
constexpr size_t kMaxHeaderNameBytes = 28;
// How far a "From:" line looks for the rest of its Outlook header block. Word HTML
// turned into text may put blank paragraphs between the header lines.
constexpr size_t kOutlookLookaheadLines = 16;
constexpr int kOutlookMaxHeaderLines = 8;
// A "-- " followed by more than this is a divider in prose, not a signature.
constexpr int kMaxSignatureLines = 10;
// Footers are appended by list software and are short even when stacked or wrapped;
// the cap keeps a phrase in the author's text far from the end from swallowing it.
constexpr int kMaxFooterLines = 24;
constexpr size_t kFooterMarkerScanBytes = 300;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `lower` is lowercase; only ASCII letters of `s` are folded, so accented words in
// the tables must be written in the case mail clients use.
bool StartsWithNoCase(std::string_view s, std::string_view lower) {
  if (s.size() < lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (Lower(s[i]) != lower[i]) return false;
  }
  return true;
}

bool EndsWithNoCase(std::string_view s, std::string_view lower) {
  return s.size() >= lower.size() && StartsWithNoCase(s.substr(s.size() - lower.size()), lower);
}

bool ContainsNoCase(std::string_view s, std::string_view lower) {
  if (lower.empty()) return true;
  for (size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if (Lower(s[i]) == lower[0] && StartsWithNoCase(s.substr(i), lower)) return true;
  }
  return false;
}

// True when `word` occurs in s with no ASCII letter on either side (line breaks count
// as boundaries, which matters for attributions wrapped over two lines).
bool ContainsWordNoCase(std::string_view s, std::string_view word) {
  for (size_t i = 0; i + word.size() <= s.size(); ++i) {
    if (Lower(s[i]) != word[0] || !StartsWithNoCase(s.substr(i), word)) continue;
    const bool left_ok = i == 0 || !IsAsciiLetter(s[i - 1]);
    const size_t after = i + word.size();
    const bool right_ok = after == s.size() || !IsAsciiLetter(s[after]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

// Width of the horizontal space starting at s[i], 0 if none. Beyond ASCII: NBSP, which
// HTML-derived text uses for empty paragraphs and French typography before ':', the
// narrow NBSP, and a byte-order mark (invisible, and it would hide a leading '>').
size_t SpaceWidthAt(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return 1;
  const size_t left = s.size() - i;
  if (c == 0xC2 && left >= 2 && s[i + 1] == '\xA0') return 2;
  if (c == 0xE2 && left >= 3 && s[i + 1] == '\x80' && s[i + 2] == '\xAF') return 3;
  if (c == 0xEF && left >= 3 && s[i + 1] == '\xBB' && s[i + 2] == '\xBF') return 3;
  return 0;
}

// Width of the horizontal space ending just before s[end], 0 if none.
size_t SpaceWidthBefore(std::string_view s, size_t end) {
  if (end == 0) return 0;
  const char c = s[end - 1];
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return 1;
  if (c == '\xA0' && end >= 2 && s[end - 2] == '\xC2') return 2;
  if (c == '\xAF' && end >= 3 && s[end - 3] == '\xE2' && s[end - 2] == '\x80') return 3;
  return 0;
}

std::string_view TrimRight(std::string_view s) {
  size_t end = s.size();
  while (size_t w = SpaceWidthBefore(s, end)) end -= w;
  return s.substr(0, end);
}

bool HasDigitOrAt(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || c == '@'; });
}

// Words that open a dated attribution ("On Tue, Jan 9, 2007, Jane Doe wrote:") in the
// languages list members write in: en, fr, es, de, pt, it, nl, da/sv.
struct DatedOpener {
  std::string_view word;
  bool verb_before_name;  // "Am 9.1.2007 schrieb Jane Doe:"
};
constexpr DatedOpener kDatedOpeners[] = {
    {"on ", false}, {"le ", false}, {"el ", false}, {"em ", false},
    {"il ", false}, {"am ", true},  {"op ", true},  {"den ", true},
};
// The verb that closes an attribution, before the final ':'.
constexpr std::string_view kClosingVerbs[] = {
    "wrote",       "writes",     "a écrit", "escribió",   "escreveu", "schrieb",
    "geschrieben", "ha scritto", "schreef", "geschreven", "skrev",    "napisał",
};
constexpr std::string_view kVerbsBeforeName[] = {"schrieb", "schreef", "skrev"};

// s ends with ':' after an attribution verb ("wrote:", "a écrit :").
bool EndsWithClosingVerb(std::string_view s) {
  if (s.empty() || s.back() != ':') return false;
  const std::string_view head = TrimRight(s.substr(0, s.size() - 1));
  for (std::string_view verb : kClosingVerbs) {
    if (!EndsWithNoCase(head, verb)) continue;
    const size_t before = head.size() - verb.size();
    if (before == 0 || !IsAsciiLetter(head[before - 1])) return true;
  }
  return false;
}

// The opener of a dated attribution starting t, or nullptr.
const DatedOpener* DatedOpenerOf(std::string_view t) {
  for (const DatedOpener& opener : kDatedOpeners) {
    if (StartsWithNoCase(t, opener.word)) return &opener;
  }
  return nullptr;
}

// `s` starts with `opener` and may span two lines.
bool IsDatedAttribution(std::string_view s, const DatedOpener& opener) {
  if (s.empty() || s.back() != ':') return false;
  const bool verb = EndsWithClosingVerb(s) ||
                    (opener.verb_before_name &&
                     std::any_of(std::begin(kVerbsBeforeName), std::end(kVerbsBeforeName),
                                 [s](std::string_view v) { return ContainsWordNoCase(s, v); }));
  // Without a date or an address, "On reflection, what you wrote:" is prose.
  return verb && HasDigitOrAt(s);
}

// Lotus Notes and GroupWise: ">>> Jane Doe 1/9/2007 1:21 AM >>>".
bool IsLotusHeader(std::string_view t) {
  if (t.size() < 8 || t.size() > kMaxLotusHeaderBytes) return false;
  if (t.substr(0, 3) != ">>>" || t.substr(t.size() - 3) != ">>>") return false;
  const std::string_view inner = t.substr(3, t.size() - 6);
  return std::any_of(inner.begin(), inner.end(), IsDigit);
}

// The text between the dashes of a banner line, as clients write it in several languages.
constexpr std::string_view kBannerTitles[] = {
    "original message",       "forwarded message",      "message d'origine",
    "message original",       "message transféré",      "mensaje original",
    "mensaje reenviado",      "ursprüngliche nachricht", "weitergeleitete nachricht",
    "mensagem original",      "mensagem encaminhada",   "messaggio originale",
    "messaggio inoltrato",    "oorspronkelijk bericht", "doorgestuurd bericht",
};

// "-----Original Message-----", "---------- Forwarded message ---------",
// "----- Forwarded by Jane Doe/ORG on 01/09/2007 09:22 AM -----".
bool IsBanner(std::string_view t) {
  if (t.size() < 6 || t.substr(0, 2) != "--") return false;
  size_t b = 0;
  while (b < t.size() && (t[b] == '-' || t[b] == ' ')) ++b;
  size_t e = t.size();
  while (e > b && (t[e - 1] == '-' || t[e - 1] == ' ')) --e;
  if (t.size() - e < 2) return false;
  const std::string_view inner = t.substr(b, e - b);
  if (StartsWithNoCase(inner, "forwarded by ")) return true;
  for (std::string_view title : kBannerTitles) {
    if (inner.size() == title.size() && StartsWithNoCase(inner, title)) return true;
  }
  return false;
}

// Apple Mail and friends introduce a forwarded message with a sentence, not dashes.
constexpr std::string_view kForwardIntros[] = {
    "begin forwarded message",         "début du message réexpédié",
    "inicio del mensaje reenviado",    "anfang der weitergeleiteten nachricht",
    "início da mensagem reencaminhada", "inizio messaggio inoltrato",
    "forwarded message:",
};

bool IsForwardIntro(std::string_view t) {
  if (t.size() > kMaxIntroBytes || t.empty() || t.back() != ':') return false;
  return std::any_of(std::begin(kForwardIntros), std::end(kForwardIntros),
                     [t](std::string_view intro) { return StartsWithNoCase(t, intro); });
}

// The roles of the header lines Outlook writes above quoted history.
enum class HeaderRole : std::uint8_t { kNone, kFrom, kDate, kRecipientOrSubject, kOther };

struct HeaderName {
  std::string_view name;
  HeaderRole role;
};

// Lowercase except accented capitals, which are listed as clients write them.
constexpr HeaderName kHeaderNames[] = {
    {"from", HeaderRole::kFrom},       {"de", HeaderRole::kFrom},
    {"von", HeaderRole::kFrom},        {"da", HeaderRole::kFrom},
    {"van", HeaderRole::kFrom},        {"fra", HeaderRole::kFrom},
    {"från", HeaderRole::kFrom},       {"od", HeaderRole::kFrom},
    {"sent", HeaderRole::kDate},       {"date", HeaderRole::kDate},
    {"envoyé", HeaderRole::kDate},     {"enviado el", HeaderRole::kDate},
    {"enviado", HeaderRole::kDate},    {"enviada em", HeaderRole::kDate},
    {"enviada", HeaderRole::kDate},    {"fecha", HeaderRole::kDate},
    {"data", HeaderRole::kDate},       {"datum", HeaderRole::kDate},
    {"gesendet", HeaderRole::kDate},   {"inviato", HeaderRole::kDate},
    {"verzonden", HeaderRole::kDate},  {"sendt", HeaderRole::kDate},
    {"skickat", HeaderRole::kDate},    {"wysłano", HeaderRole::kDate},
    {"to", HeaderRole::kRecipientOrSubject},        {"à", HeaderRole::kRecipientOrSubject},
    {"À", HeaderRole::kRecipientOrSubject},         {"a", HeaderRole::kRecipientOrSubject},
    {"para", HeaderRole::kRecipientOrSubject},      {"an", HeaderRole::kRecipientOrSubject},
    {"aan", HeaderRole::kRecipientOrSubject},       {"til", HeaderRole::kRecipientOrSubject},
    {"till", HeaderRole::kRecipientOrSubject},      {"do", HeaderRole::kRecipientOrSubject},
    {"subject", HeaderRole::kRecipientOrSubject},   {"objet", HeaderRole::kRecipientOrSubject},
    {"asunto", HeaderRole::kRecipientOrSubject},    {"assunto", HeaderRole::kRecipientOrSubject},
    {"betreff", HeaderRole::kRecipientOrSubject},   {"oggetto", HeaderRole::kRecipientOrSubject},
    {"onderwerp", HeaderRole::kRecipientOrSubject}, {"emne", HeaderRole::kRecipientOrSubject},
    {"ämne", HeaderRole::kRecipientOrSubject},      {"temat", HeaderRole::kRecipientOrSubject},
    {"cc", HeaderRole::kOther},        {"bcc", HeaderRole::kOther},
    {"reply-to", HeaderRole::kOther},  {"importance", HeaderRole::kOther},
};

// "From: ...", "*From:* ..." (Gmail's text part), "De : ..." (French spacing, often NBSP).
HeaderRole HeaderRoleOf(std::string_view t) {
  size_t b = 0;
  while (b < t.size() && t[b] == '*') ++b;
  const std::string_view head = t.substr(b, kMaxHeaderNameBytes);
  const size_t colon = head.find(':');
  if (colon == std::string_view::npos) return HeaderRole::kNone;
  std::string_view name = TrimRight(head.substr(0, colon));
  while (!name.empty() && name.back() == '*') name.remove_suffix(1);
  name = TrimRight(name);
  if (name.empty()) return HeaderRole::kNone;
  char folded[kMaxHeaderNameBytes];
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!IsAsciiLetter(c) && c != ' ' && c != '-' && static_cast<unsigned char>(c) < 0x80) {
      return HeaderRole::kNone;
    }
    folded[i] = Lower(c);
  }
  const std::string_view key(folded, name.size());
  for (const HeaderName& h : kHeaderNames) {
    if (h.name == key) return h.role;
  }
  return HeaderRole::kNone;
}

// Phrases that open a list footer (Google Groups, LISTSERV, Lyris, ezmlm, Yahoo).
constexpr std::string_view kFooterOpenings[] = {
    "you received this message because",
    "you received this message as a subscriber",
    "you are receiving this because",
    "you are receiving this message because",
    "you are currently subscribed to",
    "to unsubscribe from this group",
    "to unsubscribe from this list",
    "to unsubscribe from the ",
    "to unsubscribe, ",
    "to unsubscribe send ",
    "to be removed from the list",
    "yahoo! groups links",
    "yahoo groups links",
};

// Words in the first line after a separator that make it Mailman's footer
// ("Policy mailing list", "https://.../mailman/listinfo/policy").
constexpr std::string_view kListMarkers[] = {"mailing list", "listinfo", "mailman", "unsubscribe"};

bool IsFooterOpening(std::string_view t) {
  return std::any_of(std::begin(kFooterOpenings), std::end(kFooterOpenings),
                     [t](std::string_view phrase) { return StartsWithNoCase(t, phrase); });
}

bool HasListMarker(std::string_view t) {
  const std::string_view head = t.substr(0, kFooterMarkerScanBytes);
  return std::any_of(std::begin(kListMarkers), std::end(kListMarkers),
                     [head](std::string_view marker) { return ContainsNoCase(head, marker); });
}

// "____", "-- ", "--~--~---------~--~----~" (old Google Groups), "#####" (LISTSERV).
bool IsSeparator(std::string_view t) {
  if (t.size() < 2) return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return c == '-' || c == '_' || c == '=' || c == '#' || c == '~' || c == '*';
  });
}

bool IsUnderscoreRule(std::string_view t) {
  return t.size() >= 5 && std::all_of(t.begin(), t.end(), [](char c) { return c == '_'; });
}

// Per-line verdicts; kBlank and kFromEscape are settled from their neighbours at the end.
enum class LineKind : std::uint8_t { kOwn, kQuote, kSignature, kFooter, kBlank, kFromEscape };

enum class LineType : std::uint8_t {
  kBlank,
  kOwn,
  kQuote,
  kFromEscape,  // ">From " written by an mboxo writer: quote only next to quotes
  kSignatureDelimiter,
  kAttribution,
  kRestIsQuote,  // banners, Outlook header blocks, Lotus headers
};

struct Classification {
  LineType type = LineType::kOwn;
  size_t first = 0;  // kRestIsQuote: where the quote starts (an Outlook rule may precede)
  size_t count = 1;  // kAttribution: how many lines it spans
};

class BodyAnalyzer {
 public:
  explicit BodyAnalyzer(std::string_view text) : text_(text) {}

  std::vector<Segment> Run();

 private:
  // Offsets fit in 32 bits because AnalyzeBody clamps the text.
  struct Line {
    std::uint32_t begin;
    std::uint32_t trimmed_begin;  // past leading horizontal space
    std::uint32_t trimmed_end;    // before trailing space and the line break
    std::uint32_t end;            // past the line break
  };

  void SplitLines();
  void AddLine(size_t begin, size_t content_end, size_t end);
  bool Blank(size_t i) const { return lines_[i].trimmed_begin == lines_[i].trimmed_end; }
  std::string_view Trimmed(size_t i) const {
    return text_.substr(lines_[i].trimmed_begin, lines_[i].trimmed_end - lines_[i].trimmed_begin);
  }
  bool StartsWithQuoteMarker(size_t i) const { return !Blank(i) && text_[lines_[i].trimmed_begin] == '>'; }
  bool IsSignatureDelimiter(size_t i) const {
    return lines_[i].trimmed_begin == lines_[i].begin && Trimmed(i) == "--";
  }
  bool IsFromEscape(size_t i) const {
    return lines_[i].trimmed_begin == lines_[i].begin && Trimmed(i).substr(0, 6) == ">From ";
  }

  Classification Classify(size_t i, size_t limit) const;
  bool HeaderBlockFollows(size_t i, size_t limit) const;
  size_t OutlookBlockStart(size_t i) const;
  size_t AttributionLines(size_t i, size_t limit) const;
  size_t SignatureEnd(size_t i, size_t limit) const;
  size_t FindFooterStart() const;

  void Fill(size_t from, size_t to, LineKind kind);
  void ResolveFromEscapes();
  void ResolveBlanks();
  std::vector<Segment> ToSegments() const;

  std::string_view text_;
  std::vector<Line> lines_;
  std::vector<LineKind> kinds_;
};

void BodyAnalyzer::SplitLines() {
  const size_t n = text_.size();
  lines_.reserve(n / 48 + 1);
  // memchr for both breaks keeps this fast on the common case (only LF) while lone
  // CR still ends a line; each position is searched for at most once per byte kind.
  auto find = [this, n](char c, size_t from) -> size_t {
    const void* hit = std::memchr(text_.data() + from, c, n - from);
    return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text_.data()) : n;
  };
  size_t pos = 0;
  size_t next_lf = find('\n', 0);
  size_t next_cr = find('\r', 0);
  while (pos < n) {
    if (next_lf < pos) next_lf = find('\n', pos);
    if (next_cr < pos) next_cr = find('\r', pos);
    const size_t eol = std::min(next_lf, next_cr);
    size_t end = eol;
    if (eol < n) {
      end = eol + 1;
      if (text_[eol] == '\r' && end < n && text_[end] == '\n') ++end;
    }
    AddLine(pos, eol, end);
    pos = end;
  }
}

void BodyAnalyzer::AddLine(size_t begin, size_t content_end, size_t end) {
  const std::string_view content = text_.substr(0, content_end);
  size_t b = begin;
  while (b < content_end) {
    const size_t w = SpaceWidthAt(content, b);
    if (w == 0) break;
    b += w;
  }
  size_t e = content_end;
  while (e > b) {
    const size_t w = SpaceWidthBefore(content, e);
    if (w == 0 || e - w < b) break;
    e -= w;
  }
  lines_.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(b),
                    static_cast<std::uint32_t>(e), static_cast<std::uint32_t>(end)});
}

// REQUIRES: i < limit <= lines_.size(). Looks no further than `limit`, the footer.
Classification BodyAnalyzer::Classify(size_t i, size_t limit) const {
  if (Blank(i)) return {LineType::kBlank};
  const std::string_view t = Trimmed(i);
  if (t[0] == '>') {
    if (IsLotusHeader(t)) return {LineType::kRestIsQuote, i};
    if (IsFromEscape(i)) return {LineType::kFromEscape};
    return {LineType::kQuote};
  }
  if (IsSignatureDelimiter(i)) return {LineType::kSignatureDelimiter};
  if (IsBanner(t) || IsForwardIntro(t)) return {LineType::kRestIsQuote, i};
  if (HeaderRoleOf(t) == HeaderRole::kFrom && HeaderBlockFollows(i, limit)) {
    return {LineType::kRestIsQuote, OutlookBlockStart(i)};
  }
  if (size_t count = AttributionLines(i, limit)) return {LineType::kAttribution, i, count};
  return {LineType::kOwn};
}

// A lone "From:" line is prose; Outlook always follows it with a date and a recipient
// or subject.
bool BodyAnalyzer::HeaderBlockFollows(size_t i, size_t limit) const {
  bool date = false;
  bool recipient_or_subject = false;
  int seen = 0;
  const size_t stop = std::min(limit, i + 1 + kOutlookLookaheadLines);
  for (size_t j = i + 1; j < stop; ++j) {
    if (Blank(j)) continue;
    if (++seen > kOutlookMaxHeaderLines) break;
    switch (HeaderRoleOf(Trimmed(j))) {
      case HeaderRole::kDate: date = true; break;
      case HeaderRole::kRecipientOrSubject: recipient_or_subject = true; break;
      default: break;
    }
    if (date && recipient_or_subject) return true;
  }
  return false;
}

// Outlook draws a rule of underscores above the header block; it belongs to the quote.
size_t BodyAnalyzer::OutlookBlockStart(size_t i) const {
  size_t j = i;
  while (j > 0 && Blank(j - 1)) --j;
  if (j > 0 && IsUnderscoreRule(Trimmed(j - 1))) return j - 1;
  return i;
}

// Returns how many lines (0, 1 or 2) starting at i form an attribution.
size_t BodyAnalyzer::AttributionLines(size_t i, size_t limit) const {
  const std::string_view t = Trimmed(i);
  const DatedOpener* opener = t.size() <= kMaxDatedAttributionBytes ? DatedOpenerOf(t) : nullptr;
  if (opener != nullptr) {
    if (IsDatedAttribution(t, *opener)) return 1;
    // Clients wrap long attributions: "On Tue, Jan 9, 2007 at 9:22 AM Jane Doe <\n
    // jdoe@example.org> wrote:".
    if (i + 1 < limit && !Blank(i + 1)) {
      const std::string_view u = Trimmed(i + 1);
      if (u[0] != '>' && u.size() <= kMaxDatedAttributionBytes && u.back() == ':') {
        const Line& first = lines_[i];
        const Line& second = lines_[i + 1];
        const std::string_view both =
            text_.substr(first.trimmed_begin, second.trimmed_end - first.trimmed_begin);
        if (IsDatedAttribution(both, *opener)) {
          return 2;
        }
      }
    }
  }
  // "Jane Doe wrote:" carries no date, so it counts only right above quoted lines.
  if (t.size() > kMaxUndatedAttributionBytes || t.back() != ':') return 0;
  if (!EndsWithClosingVerb(t) && !StartsWithNoCase(t, "quoting ")) return 0;
  size_t j = i + 1;
  while (j < limit && Blank(j)) ++j;
  return (j < limit && StartsWithQuoteMarker(j)) ? 1 : 0;
}

// Returns the line after the signature that starts at the delimiter i, or i itself
// when what follows is too long to be one.
size_t BodyAnalyzer::SignatureEnd(size_t i, size_t limit) const {
  int lines = 0;
  for (size_t j = i + 1; j < limit; ++j) {
    if (Blank(j)) continue;
    switch (Classify(j, limit).type) {
      case LineType::kQuote:
      case LineType::kFromEscape:
      case LineType::kAttribution:
      case LineType::kRestIsQuote:
        return j;
      default:
        break;
    }
    if (++lines > kMaxSignatureLines) return i;
  }
  return limit;
}

// The first line of the list footer at the end of the text, or lines_.size().
size_t BodyAnalyzer::FindFooterStart() const {
  const size_t n = lines_.size();
  // List software appends after everything, so a footer never precedes a quoted line.
  size_t window = n;
  int nonblank = 0;
  while (window > 0) {
    const size_t k = window - 1;
    if (!Blank(k) && (StartsWithQuoteMarker(k) || ++nonblank > kMaxFooterLines)) break;
    window = k;
  }
  for (size_t i = window; i < n; ++i) {
    if (Blank(i)) continue;
    const std::string_view t = Trimmed(i);
    if (IsFooterOpening(t)) {
      size_t k = i;
      while (k > 0 && Blank(k - 1)) --k;
      if (k > 0 && IsSeparator(Trimmed(k - 1))) return k - 1;
      return i;
    }
    if (IsSeparator(t)) {
      size_t j = i + 1;
      while (j < n && Blank(j)) ++j;
      if (j == n) continue;
      const std::string_view u = Trimmed(j);
      // Outlook's rule above a quoted "From: ... [mailto:...-bounces@...]" is no footer.
      if (IsFooterOpening(u) || (HasListMarker(u) && HeaderRoleOf(u) == HeaderRole::kNone)) return i;
    }
  }
  return n;
}

void BodyAnalyzer::Fill(size_t from, size_t to, LineKind kind) {
  std::fill(kinds_.begin() + static_cast<std::ptrdiff_t>(from), kinds_.begin() + static_cast<std::ptrdiff_t>(to),
            kind);
}

// mboxo writers turn a body line "From here on ..." into ">From here on ...", so such
// a line is a quote only when it sits against other quoted lines.
void BodyAnalyzer::ResolveFromEscapes() {
  const size_t n = kinds_.size();
  for (size_t i = 0; i < n; ++i) {
    if (kinds_[i] != LineKind::kFromEscape) continue;
    size_t p = i;
    while (p > 0 && kinds_[p - 1] == LineKind::kBlank) --p;
    size_t q = i + 1;
    while (q < n && kinds_[q] == LineKind::kBlank) ++q;
    const bool next_to_quote =
        (p > 0 && kinds_[p - 1] == LineKind::kQuote) || (q < n && kinds_[q] == LineKind::kQuote);
    kinds_[i] = next_to_quote ? LineKind::kQuote : LineKind::kOwn;
  }
}

// Blank lines inside a block belong to it; between the author's text and anything
// else they belong to the author; at the edges they join the one neighbour.
void BodyAnalyzer::ResolveBlanks() {
  const size_t n = kinds_.size();
  size_t i = 0;
  while (i < n) {
    if (kinds_[i] != LineKind::kBlank) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < n && kinds_[end] == LineKind::kBlank) ++end;
    const bool has_prev = i > 0;
    const bool has_next = end < n;
    LineKind kind = LineKind::kOwn;
    if (has_prev && has_next) {
      const LineKind prev = kinds_[i - 1];
      const LineKind next = kinds_[end];
      if (prev == next) {
        kind = prev;
      } else if (prev == LineKind::kOwn || next == LineKind::kOwn) {
        kind = LineKind::kOwn;
      } else {
        kind = prev;
      }
    } else if (has_prev) {
      kind = kinds_[i - 1];
    } else if (has_next) {
      kind = kinds_[end];
    }
    Fill(i, end, kind);
    i = end;
  }
}

SegmentKind ToSegmentKind(LineKind kind) {
  switch (kind) {
    case LineKind::kQuote: return SegmentKind::kQuote;
    case LineKind::kSignature: return SegmentKind::kSignature;
    case LineKind::kFooter: return SegmentKind::kFooter;
    default: return SegmentKind::kOwn;
  }
}

std::vector<Segment> BodyAnalyzer::ToSegments() const {
  std::vector<Segment> segments;
  for (size_t i = 0; i < lines_.size(); ++i) {
    const SegmentKind kind = ToSegmentKind(kinds_[i]);
    if (!segments.empty() && segments.back().kind == kind) {
      segments.back().end = lines_[i].end;
    } else {
      segments.push_back({kind, lines_[i].begin, lines_[i].end});
    }
  }
  return segments;
}

std::vector<Segment> BodyAnalyzer::Run() {
  SplitLines();
  const size_t n = lines_.size();
  kinds_.assign(n, LineKind::kOwn);
  const size_t footer = FindFooterStart();
  size_t i = 0;
  while (i < footer) {
    const Classification c = Classify(i, footer);
    switch (c.type) {
      case LineType::kBlank: kinds_[i++] = LineKind::kBlank; break;
      case LineType::kOwn: kinds_[i++] = LineKind::kOwn; break;
      case LineType::kQuote: kinds_[i++] = LineKind::kQuote; break;
      case LineType::kFromEscape: kinds_[i++] = LineKind::kFromEscape; break;
      case LineType::kAttribution:
        Fill(i, i + c.count, LineKind::kQuote);
        i += c.count;
        break;
      case LineType::kRestIsQuote:
        Fill(c.first, footer, LineKind::kQuote);
        i = footer;
        break;
      case LineType::kSignatureDelimiter: {
        const size_t stop = SignatureEnd(i, footer);
        if (stop == i) {
          kinds_[i++] = LineKind::kOwn;
        } else {
          Fill(i, stop, LineKind::kSignature);
          i = stop;
        }
        break;
      }
    }
  }
  Fill(footer, n, LineKind::kFooter);
  ResolveFromEscapes();
  ResolveBlanks();
  return ToSegments();
}

bool ParseUint32(std::string_view s, size_t* pos, std::uint32_t* out) {
  const char* first = s.data() + *pos;
  const char* last = s.data() + s.size();
  // from_chars takes no sign or space for unsigned types and reports overflow.
  const auto [ptr, ec] = std::from_chars(first, last, *out);
  if (ec != std::errc() || ptr == first) return false;
  *pos = static_cast<size_t>(ptr - s.data());
  return true;
}

bool IsSegmentKind(char c) {
  return c == static_cast<char>(SegmentKind::kOwn) || c == static_cast<char>(SegmentKind::kQuote) ||
         c == static_cast<char>(SegmentKind::kSignature) || c == static_cast<char>(SegmentKind::kFooter);
}

}  // namespace

std::vector<Segment> AnalyzeBody(std::string_view text) {
  const std::string_view clamped = text.substr(0, std::numeric_limits<std::uint32_t>::max());
  if (clamped.empty()) return {};
  return BodyAnalyzer(clamped).Run();
}

std::string EncodeSegments(const std::vector<Segment>& segments) {
  std::string out;
  out.reserve(segments.size() * 16);
  char number[16];
  for (const Segment& s : segments) {
    if (!out.empty()) out += ',';
    out += static_cast<char>(s.kind);
    out.append(number, std::to_chars(number, number + sizeof number, s.begin).ptr);
    out += '-';
    out.append(number, std::to_chars(number, number + sizeof number, s.end).ptr);
  }
  return out;
}

std::vector<Segment> DecodeSegments(std::string_view encoded) {
  std::vector<Segment> segments;
  size_t pos = 0;
  std::uint32_t previous_end = 0;
  while (pos < encoded.size()) {
    if (!segments.empty()) {
      if (encoded[pos] != ',') return {};
      ++pos;
    }
    if (pos >= encoded.size() || !IsSegmentKind(encoded[pos])) return {};
    const auto kind = static_cast<SegmentKind>(encoded[pos++]);
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    if (!ParseUint32(encoded, &pos, &begin)) return {};
    if (pos >= encoded.size() || encoded[pos] != '-') return {};
    ++pos;
    if (!ParseUint32(encoded, &pos, &end)) return {};
    if (begin > end || begin < previous_end) return {};
    segments.push_back({kind, begin, end});
    previous_end = end;
  }
  return segments;
}

std::string TextOfKind(std::string_view text, const std::vector<Segment>& segments, SegmentKind kind) {
  std::string out;
  for (const Segment& s : segments) {
    if (s.kind != kind) continue;
    const size_t begin = std::min<size_t>(s.begin, text.size());
    const size_t end = std::min<size_t>(s.end, text.size());
    if (begin < end) out.append(text.substr(begin, end - begin));
  }
  return out;
}

}  // namespace rt
