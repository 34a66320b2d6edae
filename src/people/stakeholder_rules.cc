#include "people/stakeholder_rules.h"

#include <fstream>
#include <sstream>

#include "people/address.h"

namespace rt {

namespace {

constexpr std::string_view kDefaultRules = R"(
# Built-in stakeholder rules; a rules file given to `roundtable import --rules` overrides them.
gov        government
mil        government
gov.*      government
gouv.*     government
gob.*      government
go.*       government
govt.nz    government
gc.ca      government
admin.ch   government
bund.de    government
europa.eu  intergovernmental  European Union
edu        academia
edu.*      academia
ac.*       academia
int        intergovernmental
itu.int    intergovernmental  International Telecommunication Union
un.org     intergovernmental  United Nations
unesco.org intergovernmental  UNESCO
oecd.org   intergovernmental  OECD
coe.int    intergovernmental  Council of Europe
intgovforum.org  intergovernmental  IGF Secretariat
icann.org  technical-community  ICANN
ietf.org   technical-community  IETF
iab.org    technical-community  IAB
isoc.org   technical-community  Internet Society
w3.org     technical-community  W3C
ripe.net   technical-community  RIPE NCC
arin.net   technical-community  ARIN
apnic.net  technical-community  APNIC
lacnic.net technical-community  LACNIC
afrinic.net technical-community AFRINIC
)";

std::vector<std::string> ReversedLabels(std::string_view domain) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    if (dot > start) labels.emplace_back(domain.substr(start, dot - start));
    start = dot + 1;
  }
  return {labels.rbegin(), labels.rend()};
}

}  // namespace

bool IsStakeholderGroup(std::string_view group) {
  for (const char* g : kStakeholderGroups)
    if (group == g) return true;
  return false;
}

StakeholderRules StakeholderRules::Defaults() {
  StakeholderRules rules;
  rules.Add(kDefaultRules, "built-in rules");
  return rules;
}

Status StakeholderRules::Add(std::string_view text, std::string_view origin) {
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string pattern, group;
    if (!(fields >> pattern)) continue;
    auto where = [&] { return std::string(origin) + ":" + std::to_string(number) + ": "; };
    if (!(fields >> group)) return Status::InvalidArgument(where() + "a rule needs a domain pattern and a group");
    if (!IsStakeholderGroup(group))
      return Status::InvalidArgument(where() + "unknown stakeholder group \"" + group +
                                     "\" (use government, private-sector, civil-society, technical-community, "
                                     "academia, intergovernmental or unknown)");
    std::string affiliation;
    std::getline(fields >> std::ws, affiliation);
    while (!affiliation.empty() && std::isspace(static_cast<unsigned char>(affiliation.back()))) affiliation.pop_back();
    std::string_view p = pattern;
    if (p.substr(0, 2) == "*.") p.remove_prefix(2);
    if (p.substr(0, 1) == ".") p.remove_prefix(1);
    Rule rule{ReversedLabels(p), 0, {group, affiliation}};
    if (rule.labels.empty()) return Status::InvalidArgument(where() + "empty domain pattern");
    for (std::string& label : rule.labels) {
      for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      rule.wildcards += label == "*";
    }
    rules_.push_back(std::move(rule));
  }
  return Status::Ok();
}

Status StakeholderRules::AddFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::NotFound(path + ": cannot open the stakeholder rules file");
  std::stringstream text;
  text << file.rdbuf();
  return Add(text.str(), path);
}

StakeholderMatch StakeholderRules::Classify(std::string_view address) const {
  std::vector<std::string> domain = ReversedLabels(AddressDomain(address));
  const Rule* best = nullptr;
  for (const Rule& rule : rules_) {
    if (rule.labels.size() > domain.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < rule.labels.size() && match; ++i)
      match = rule.labels[i] == "*" || rule.labels[i] == domain[i];
    if (!match) continue;
    if (!best || rule.labels.size() > best->labels.size() ||
        (rule.labels.size() == best->labels.size() && rule.wildcards <= best->wildcards))
      best = &rule;
  }
  return best ? best->match : StakeholderMatch{};
}

}  // namespace rt
