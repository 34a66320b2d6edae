#pragma once
// Files compiled into the binary at build time (cmake/embed_files.cmake), so a
// deployment is one executable.

#include <string_view>
#include <vector>

namespace rt {

struct EmbeddedFile {
  const char* name;  ///< file name without folder, e.g. "thread.tpl"
  std::string_view data;
};

/// web/templates/*.tpl
const std::vector<EmbeddedFile>& EmbeddedTemplates();
/// web/static/* (CSS, JavaScript)
const std::vector<EmbeddedFile>& EmbeddedStatic();
/// web/openapi.json
const std::vector<EmbeddedFile>& EmbeddedApiDocuments();

}  // namespace rt
