#include "web/templates.h"

#include <stdexcept>

#include "web/embedded_files.h"

namespace rt {

Templates::Templates(const Catalogs& catalogs) {
  for (const std::string& lang : catalogs.Languages())
    for (const EmbeddedFile& f : EmbeddedTemplates()) {
      std::string translated = catalogs.TranslateTemplate(lang, f.data);
      if (!cache_.StringToTemplateCache(IncludeName(lang, f.name), translated, ctemplate::STRIP_WHITESPACE))
        throw std::runtime_error(std::string("template ") + f.name + " (" + lang + ") does not parse");
    }
  cache_.Freeze();
}

std::string Templates::IncludeName(std::string_view lang, std::string_view name) {
  return std::string(lang) + "/" + std::string(name);
}

std::string Templates::Expand(std::string_view lang, std::string_view name,
                              const ctemplate::TemplateDictionary& dict) const {
  std::string out;
  if (!cache_.ExpandNoLoad(IncludeName(lang, name), ctemplate::STRIP_WHITESPACE, &dict, nullptr, &out))
    throw std::runtime_error("template " + std::string(name) + " could not be expanded");
  return out;
}

}  // namespace rt
