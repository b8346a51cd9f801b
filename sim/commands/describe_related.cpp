#include "sim/commands/describe_related.hpp"

#include "models/discovery.hpp"

namespace kvsim::sim::commands {

std::vector<models::ObjectPtr> describe_related(const api::Store& store, const models::Object& obj) {
  std::vector<models::ObjectPtr> out;
  if (obj.kind == "Service") {
    if (auto ep = store.get(models::Endpoints::kind_info(), obj.metadata.namespace_, obj.metadata.name))
      out.push_back(ep);
  } else if (obj.kind == "PersistentVolumeClaim") {
    out = store.list(models::Pod::kind_info(), obj.metadata.namespace_);
  } else if (obj.kind == "Node") {
    // Its pods: kubectl describe node lists them and totals their requests and limits.
    out = store.on_node(models::Pod::kind_info(), obj.metadata.name);
  }
  return out;
}

}  // namespace kvsim::sim::commands
