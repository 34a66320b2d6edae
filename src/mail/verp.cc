#include "mail/verp.h"

#include <array>

namespace rt {

namespace {

constexpr std::string_view kBouncesSuffix = "-bounces";

bool IsPlain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `ends_local_part`: nothing follows in the local part, so a final '.' is escaped too.
void AppendEncoded(std::string_view text, bool ends_local_part, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // A '.' is kept unless it would make ".." (not a dot-atom); any other escape
    // between two dots already separates them.
    bool plain_dot = c == '.' && (out->empty() || out->back() != '.') && !(ends_local_part && i + 1 == text.size());
    if (IsPlain(c) || plain_dot) {
      out->push_back(static_cast<char>(c));
    } else {
      out->push_back('+');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
}

std::optional<std::string> Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '+') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = HexValue(text[i + 1]);
    int lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && Lower(s.substr(s.size() - suffix.size())) == suffix;
}

std::string_view StripBrackets(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

// "local@domain" split at the last '@'; false when either side is empty.
bool SplitAddress(std::string_view address, std::string_view* local, std::string_view* domain) {
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  *local = address.substr(0, at);
  *domain = address.substr(at + 1);
  return true;
}

struct Suffix {
  std::string_view text;
  ListRole role;
};

// Longest first is not needed: no suffix is a suffix of another.
constexpr std::array<Suffix, 8> kSuffixes = {{
    {"-request", ListRole::kRequest},
    {"-join", ListRole::kJoin},
    {"-subscribe", ListRole::kJoin},
    {"-leave", ListRole::kLeave},
    {"-unsubscribe", ListRole::kLeave},
    {"-bounces", ListRole::kBounces},
    {"-confirm", ListRole::kConfirm},
    {"-owner", ListRole::kOwner},
}};

struct Split {
  std::string_view base;    // local part before '+'
  std::string_view detail;  // after '+', "" when none
  std::string domain;       // lower-cased
};

std::optional<Split> SplitRecipient(std::string_view rcpt, std::string_view list_domain) {
  std::string_view local, domain;
  if (!SplitAddress(StripBrackets(rcpt), &local, &domain)) return std::nullopt;
  Split s;
  s.domain = Lower(domain);
  if (!list_domain.empty() && s.domain != Lower(list_domain)) return std::nullopt;
  std::size_t plus = local.find('+');
  s.base = local.substr(0, plus);
  if (plus != std::string_view::npos) s.detail = local.substr(plus + 1);
  if (s.base.empty()) return std::nullopt;
  return s;
}

ListAddress Make(std::string_view list_part, ListRole role, const Split& s) {
  ListAddress a;
  a.list_local_part = Lower(list_part);
  a.domain = s.domain;
  a.role = role;
  if (role == ListRole::kBounces) {
    // The detail of a bounce address is the VERP-encoded subscriber.
    std::size_t eq = s.detail.find('=');
    if (eq != std::string_view::npos && s.detail.find('=', eq + 1) == std::string_view::npos) {
      std::optional<std::string> local = Decode(s.detail.substr(0, eq));
      std::optional<std::string> domain = Decode(s.detail.substr(eq + 1));
      if (local && domain && !local->empty() && !domain->empty()) a.detail = *local + "@" + *domain;
    }
  } else {
    a.detail = std::string(s.detail);
  }
  return a;
}

// The suffix reading of s.base, or nullopt when it has no role suffix (a post).
std::optional<ListAddress> BySuffix(const Split& s) {
  for (const Suffix& suffix : kSuffixes) {
    if (s.base.size() > suffix.text.size() && EndsWithNoCase(s.base, suffix.text))
      return Make(s.base.substr(0, s.base.size() - suffix.text.size()), suffix.role, s);
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> VerpSender(std::string_view list_address, std::string_view subscriber) {
  std::string_view list_local, list_domain, sub_local, sub_domain;
  if (!SplitAddress(list_address, &list_local, &list_domain) ||
      list_local.find_first_of("+=@ \t\r\n<>\"") != std::string_view::npos ||
      list_domain.find_first_of("@ \t\r\n<>\"") != std::string_view::npos)
    return Status::InvalidArgument("not a list address: \"" + std::string(list_address) + "\"");
  if (!SplitAddress(subscriber, &sub_local, &sub_domain))
    return Status::InvalidArgument("not a subscriber address: \"" + std::string(subscriber) + "\"");
  std::string out;
  out.reserve(list_address.size() + subscriber.size() + 16);
  out.append(list_local);
  out.append(kBouncesSuffix);
  out.push_back('+');
  AppendEncoded(sub_local, false, &out);
  out.push_back('=');
  AppendEncoded(sub_domain, true, &out);
  out.push_back('@');
  out.append(list_domain);
  return out;
}

std::optional<VerpBounce> ParseVerp(std::string_view recipient) {
  std::optional<Split> s = SplitRecipient(recipient, {});
  if (!s || s->detail.empty()) return std::nullopt;
  if (!(s->base.size() > kBouncesSuffix.size() && EndsWithNoCase(s->base, kBouncesSuffix))) return std::nullopt;
  ListAddress a = Make(s->base.substr(0, s->base.size() - kBouncesSuffix.size()), ListRole::kBounces, *s);
  if (a.detail.empty()) return std::nullopt;
  return VerpBounce{std::move(a.list_local_part), std::move(a.domain), std::move(a.detail)};
}

const char* ListRoleName(ListRole role) {
  switch (role) {
    case ListRole::kPost: return "post";
    case ListRole::kRequest: return "request";
    case ListRole::kJoin: return "join";
    case ListRole::kLeave: return "leave";
    case ListRole::kBounces: return "bounces";
    case ListRole::kConfirm: return "confirm";
    case ListRole::kOwner: return "owner";
  }
  return "post";
}

std::optional<ListAddress> ParseListAddress(std::string_view rcpt, std::string_view list_domain) {
  std::optional<Split> s = SplitRecipient(rcpt, list_domain);
  if (!s) return std::nullopt;
  if (std::optional<ListAddress> a = BySuffix(*s)) return a;
  return Make(s->base, ListRole::kPost, *s);
}

std::optional<ListAddress> ParseListAddress(std::string_view rcpt, std::string_view list_domain,
                                            const std::function<bool(std::string_view local_part)>& list_exists) {
  std::optional<Split> s = SplitRecipient(rcpt, list_domain);
  if (!s) return std::nullopt;
  std::string whole = Lower(s->base);
  if (list_exists(whole)) return Make(s->base, ListRole::kPost, *s);
  std::optional<ListAddress> a = BySuffix(*s);
  if (a && list_exists(a->list_local_part)) return a;
  return std::nullopt;
}

}  // namespace rt
