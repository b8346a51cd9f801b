#include "models/common_instancetypes.hpp"

#include <stdexcept>

#include "models/manifest.hpp"

namespace kvsim::models {

// Generated from models/data/*.yaml by models/embed_text.cmake.
extern const char kCommon_clusterinstancetypes_yaml[];
extern const char kCommon_clusterpreferences_yaml[];

namespace {

std::vector<std::shared_ptr<Object>> decode_bundles() {
  std::vector<std::shared_ptr<Object>> out;
  struct Bundle {
    const char* text;
    std::string file;
  };
  for (const auto& [text, file] : {Bundle{kCommon_clusterinstancetypes_yaml, "common_clusterinstancetypes.yaml"},
                                   Bundle{kCommon_clusterpreferences_yaml, "common_clusterpreferences.yaml"}}) {
    auto r = load_manifests(text, file);
    if (!r.ok()) throw std::logic_error("embedded " + file + ": " + join_lines(r.problems));
    for (auto& o : r.objects) out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

std::vector<std::shared_ptr<Object>> common_instancetypes_and_preferences() {
  // Decoded once per process (each cluster gets its own copies to store).
  static const std::vector<std::shared_ptr<Object>> decoded = decode_bundles();
  std::vector<std::shared_ptr<Object>> out;
  out.reserve(decoded.size());
  for (const auto& o : decoded) out.push_back(o->clone());
  return out;
}

}  // namespace kvsim::models
