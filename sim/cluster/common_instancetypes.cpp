#include "sim/cluster/common_instancetypes.hpp"

#include "models/common_instancetypes.hpp"
#include "sim/engine/rng.hpp"

namespace kvsim::sim::cluster {

namespace {

// The operator's objects are routine: no trace record each (83 of them would
// drown every trace), and uids from a generator seeded by the object's name, so
// that the cluster's own seeded sequence (every later uid and generated name)
// is the same with or without the catalog.
const api::Cause kCatalog{"virt-operator", "", "common instance types", true, true};

std::uint64_t name_seed(const std::string& kind, const std::string& name) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (char c : kind + "/" + name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

}  // namespace

void install_common_instancetypes(api::Store& store) {
  for (auto& o : models::common_instancetypes_and_preferences()) {
    o->metadata.uid = engine::Rng(name_seed(o->kind, o->metadata.name)).uuid();
    store.create(o, kCatalog);
  }
}

}  // namespace kvsim::sim::cluster
