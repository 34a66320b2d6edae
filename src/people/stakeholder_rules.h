#pragma once
// Which stakeholder group (and affiliation) an address's domain suggests, so that old
// archives can be analysed by group. A person's own declaration always wins over this.

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace rt {

/// The groups of the multi-stakeholder model, as stored.
inline constexpr const char* kStakeholderGroups[] = {
    "government", "private-sector", "civil-society", "technical-community",
    "academia",   "intergovernmental", "unknown"};

bool IsStakeholderGroup(std::string_view group);

struct StakeholderMatch {
  std::string group = "unknown";
  std::string affiliation;
};

/// Rules file format, one rule a line, '#' starts a comment:
///
///     DOMAIN-PATTERN  GROUP  [AFFILIATION...]
///     gov.*           government
///     itu.int         intergovernmental  International Telecommunication Union
///
/// A pattern matches a domain and all its subdomains; a "*" label matches any one
/// label; a leading "." or "*." is ignored. The most specific matching pattern (most
/// labels, then fewest wildcards) wins; among equals the later rule wins, so a user's
/// file overrides the built-in defaults.
class StakeholderRules {
 public:
  /// The built-in defaults: gov/gouv/gob/mil domains, edu/ac, int and the main
  /// intergovernmental and technical-community organisations.
  static StakeholderRules Defaults();

  /// Adds the rules in `text`; InvalidArgument naming `origin` and the line on error.
  Status Add(std::string_view text, std::string_view origin);
  /// Adds the rules in a file; NotFound / InvalidArgument.
  Status AddFile(const std::string& path);

  /// The group for a normalised address ("unknown" with no affiliation when no rule matches).
  StakeholderMatch Classify(std::string_view address) const;

 private:
  struct Rule {
    std::vector<std::string> labels;  // reversed: "gov.*" -> {"*", "gov"}
    int wildcards;
    StakeholderMatch match;
  };
  std::vector<Rule> rules_;
};

}  // namespace rt
