#pragma once
// Static files (CSS, JavaScript) under content-hashed names such as
// "/static/style.1a2b3c4d5e.css": cacheable forever, replaced by a new name when changed.

#include <map>
#include <memory>
#include <string>

#include "web/page_cache.h"

namespace rt {

class Assets {
 public:
  /// Loads the embedded web/static files.
  Assets();

  /// "/static/style.1a2b3c4d5e.css" for "style.css"; throws std::out_of_range for an unknown name
  /// (a programming error: templates only name files that exist).
  const std::string& Url(const std::string& name) const;
  /// The file served under a hashed name ("style.1a2b3c4d5e.css"), or nullptr.
  std::shared_ptr<const CachedBody> Find(const std::string& hashed_name) const;

 private:
  std::map<std::string, std::string> urls_;
  std::map<std::string, std::shared_ptr<const CachedBody>> files_;
};

}  // namespace rt
