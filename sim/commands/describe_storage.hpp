#pragma once
// `oc describe` for PersistentVolumeClaims, PersistentVolumes and
// StorageClasses (kubectl's describers of the same names). A claim's
// "Used By" lists the pods in `related` whose volumes name it.
#include <optional>
#include <string>
#include <vector>

#include "models/storage.hpp"

namespace kvsim::sim::commands {

// The text for a PVC, PV or StorageClass; nullopt for other kinds.
std::optional<std::string> describe_storage(const models::Object& obj,
                                            const std::vector<std::shared_ptr<const models::Event>>& events,
                                            double now, const std::vector<models::ObjectPtr>* related);

}  // namespace kvsim::sim::commands
