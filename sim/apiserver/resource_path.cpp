#include "sim/apiserver/resource_path.hpp"

#include <vector>

#include "models/registry.hpp"

namespace kvsim::sim::apiserver {

namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const auto end = path.find('/', i);
    if (i < path.size()) out.push_back(path.substr(i, end == std::string::npos ? std::string::npos : end - i));
    i = end == std::string::npos ? path.size() : end;
  }
  return out;
}

// virt-api's subresources (start, console, ...) name the kinds of kubevirt.io.
std::string kind_group(const std::string& group) {
  return group == "subresources.kubevirt.io" ? "kubevirt.io" : group;
}

}  // namespace

std::optional<ResourcePath> parse_resource_path(const std::string& path) {
  const auto s = segments(path);
  ResourcePath p;
  std::size_t i = 0;
  if (s.size() >= 2 && s[0] == "api") {
    p.version = s[1];
    i = 2;
  } else if (s.size() >= 3 && s[0] == "apis") {
    p.group = s[1];
    p.version = s[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;  // a group/version document: discovery's
  if (s[i] == "namespaces" && i + 1 < s.size()) {
    // namespaces/{ns} alone, or with a namespace subresource, is the Namespace object.
    const bool object = i + 2 == s.size() || (i + 3 == s.size() && (s[i + 2] == "status" || s[i + 2] == "finalize"));
    if (object) {
      p.resource = "namespaces";
      p.name = s[i + 1];
      if (i + 3 == s.size()) p.subresource = s[i + 2];
      i = s.size();
    } else {
      p.ns = s[i + 1];
      i += 2;
    }
  }
  if (i < s.size()) p.resource = s[i++];
  if (i < s.size()) p.name = s[i++];
  if (i < s.size()) p.subresource = s[i++];
  if (i < s.size() || p.resource.empty()) return std::nullopt;
  const std::string group = kind_group(p.group);
  // A version the kind is not served in is no resource (upstream's 404); a
  // refused kind is found in any, so the 404 can say why.
  for (const auto* k : models::all_kinds())
    if (k->plural == p.resource && k->group() == group &&
        (!k->not_modelled.empty() || models::served_version(*k, p.version)))
      p.kind = k;
  return p;
}

}  // namespace kvsim::sim::apiserver
