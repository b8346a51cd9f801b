#include "sim/cluster/common_templates.hpp"

#include <stdexcept>

#include "models/manifest.hpp"

namespace kvsim::models {
extern const char kCommonTemplatesYaml[];  // generated from sim/cluster/common_templates.yaml (embed_text.cmake)
}

namespace kvsim::sim::cluster {

void bootstrap_common_templates(api::Store& store) {
  const api::Cause cause{"cluster-bootstrap", "", "common templates"};
  auto ns = std::make_shared<models::Namespace>();
  ns->apiVersion = "v1";
  ns->kind = "Namespace";
  ns->metadata.name = "openshift";
  ns->status.phase = "Active";
  store.create(ns, cause);
  auto loaded = models::load_manifests(models::kCommonTemplatesYaml, "common_templates.yaml");
  // The file ships in the binary: a problem in it is kvsim's bug, caught by any test.
  if (!loaded.ok()) throw std::logic_error("common_templates.yaml: " + models::join_lines(loaded.problems));
  for (const auto& o : loaded.objects) {
    o->metadata.namespace_ = "openshift";
    store.create(o, cause);
  }
}

}  // namespace kvsim::sim::cluster
