#pragma once
// The HTML templates (web/templates/*.tpl, ctemplate with AUTOESCAPE), translated once
// per language at start: "[[text]]" markers are replaced from the message catalogues,
// so expanding a page costs no lookups.

#include <ctemplate/template.h>

#include <string>
#include <string_view>

#include "web/i18n.h"

namespace rt {

class Templates {
 public:
  /// Registers every embedded template in every language of `catalogs`; throws
  /// std::runtime_error naming a template that does not parse (a build defect).
  explicit Templates(const Catalogs& catalogs);

  /// The template `name` ("thread.tpl") in `lang`, expanded with `dict`. Include
  /// dictionaries must name their file through IncludeName().
  std::string Expand(std::string_view lang, std::string_view name, const ctemplate::TemplateDictionary& dict) const;

  /// The cache key of an included template in `lang`, for SetFilename().
  static std::string IncludeName(std::string_view lang, std::string_view name);

 private:
  ctemplate::TemplateCache cache_;  // frozen after construction: expanding is thread-safe
};

}  // namespace rt
