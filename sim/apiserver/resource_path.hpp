#pragma once
// The parts of a resource URL: /api/v1/namespaces/{ns}/{resource}/{name}/{sub}
// and /apis/{group}/{version}/..., cluster-scoped when no namespaces/ segment.
#include <optional>
#include <string>

#include "models/kind_info.hpp"

namespace kvsim::sim::apiserver {

struct ResourcePath {
  std::string group;        // "" for the core group
  std::string version;      // v1
  std::string ns;           // empty: cluster-scoped or all namespaces
  std::string resource;     // plural: virtualmachines
  std::string name;         // empty: the collection
  std::string subresource;  // status, scale, start, console ...
  // The kind, when the resource is one served in `version` (a refused kind in any version).
  const models::KindInfo* kind = nullptr;
  // /api/v1/namespaces/{ns} itself reads as resource "namespaces", name ns.

  // "kubevirt.io/v1alpha3", "v1": the version the request reads and writes in.
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
};

// nullopt: not a resource URL (discovery, /version, openapi, ...).
std::optional<ResourcePath> parse_resource_path(const std::string& path);

}  // namespace kvsim::sim::apiserver
