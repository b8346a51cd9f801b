#pragma once
// What a command names: a kind word (`vmi`, `deployments.apps`) and object
// names, written "vmi vm1 vm2" or "vmi/vm1".
#include <string>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::sim::commands {

struct Target {
  const models::KindInfo* kind = nullptr;
  // The version the word names (`vm.v1alpha3.kubevirt.io`); empty: the preferred one.
  std::string version;
  std::vector<std::string> names;
  std::string error;  // "error: ..." when the kind is unknown or not modelled
};

// A kind by name, plural, short name, kind.group or kind.version.group; null with `error` set.
const models::KindInfo* resolve_kind(const std::string& word, std::string& error);
Target parse_target(const std::vector<std::string>& positional, const char* verb);
// "deployments.apps", "pods": how the API server names a resource in messages.
std::string resource_name(const models::KindInfo& k);

}  // namespace kvsim::sim::commands
