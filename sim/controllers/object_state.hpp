#pragma once
// Which state of a store object something was worked out from, for controllers that keep what
// they read of an object between passes instead of reading it again. The store replaces an
// object on every write, so another address or resourceVersion means the kept facts are stale;
// the resourceVersion also guards against a new object at a freed one's address. An object
// without a resourceVersion (not from the store) is never taken as seen.
#include <string>

#include "models/meta.hpp"

namespace kvsim::sim::controllers {

class ObjectState {
 public:
  bool is(const models::Object& o) const {
    return object_ == &o && !o.metadata.resourceVersion.empty() && version_ == o.metadata.resourceVersion;
  }
  void remember(const models::Object& o) {
    object_ = o.metadata.resourceVersion.empty() ? nullptr : &o;
    version_ = o.metadata.resourceVersion;
  }

 private:
  const models::Object* object_ = nullptr;
  std::string version_;
};

}  // namespace kvsim::sim::controllers
