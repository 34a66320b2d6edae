#include "web/assets.h"

#include "util/compression.h"
#include "web/embedded_files.h"

namespace rt {

namespace {

std::string ContentTypeOf(const std::string& name) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

}  // namespace

Assets::Assets() {
  for (const EmbeddedFile& f : EmbeddedStatic()) {
    std::string name = f.name;
    std::size_t dot = name.rfind('.');
    std::string hashed = name.substr(0, dot) + "." + ContentHash(f.data).substr(0, 10) +
                         (dot == std::string::npos ? "" : name.substr(dot));
    urls_[name] = "/static/" + hashed;
    files_[hashed] = MakeCachedBody(ContentTypeOf(name), std::string(f.data), 0);
  }
}

const std::string& Assets::Url(const std::string& name) const { return urls_.at(name); }

std::shared_ptr<const CachedBody> Assets::Find(const std::string& hashed_name) const {
  auto it = files_.find(hashed_name);
  return it == files_.end() ? nullptr : it->second;
}

}  // namespace rt
