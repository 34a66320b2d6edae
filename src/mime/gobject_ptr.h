#pragma once
// Owning pointers for GMime's GObjects: released however the scope ends.

#include <glib-object.h>

#include <memory>

namespace rt {

template <typename T>
struct GObjectUnref {
  void operator()(T* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref<T>>;

}  // namespace rt
