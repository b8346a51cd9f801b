#pragma once
// What `describe` fetches beside the object, as kubectl's describers do: a
// Service's Endpoints, and the pods of a PersistentVolumeClaim's namespace
// (for "Used By"). Empty for the other kinds.
#include <vector>

#include "sim/api/store.hpp"

namespace kvsim::sim::commands {

std::vector<models::ObjectPtr> describe_related(const api::Store& store, const models::Object& obj);

}  // namespace kvsim::sim::commands
