#pragma once
// The wall clock as the database stores it: Unix seconds, UTC.

#include <cstdint>
#include <ctime>

namespace rt {

inline std::int64_t UnixNow() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace rt
