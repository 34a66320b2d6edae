// Store::Open: the location names the backend.

#include "store/backends.h"
#include "store/store.h"

namespace rt {

Result<std::unique_ptr<Store>> Store::Open(const std::string& location, const StoreOptions& options) {
  if (IsPostgresUrl(location)) return OpenPostgresStore(location, options);
  return OpenSqliteStore(location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location, options);
}

}  // namespace rt
