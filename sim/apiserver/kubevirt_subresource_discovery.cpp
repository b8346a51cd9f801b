#include "sim/apiserver/kubevirt_subresource_discovery.hpp"

namespace kvsim::sim::apiserver {

models::Json kubevirt_subresource_resource_list(const std::string& version) {
  models::Json resources = models::Json::array();
  for (const char* name : {"virtualmachineinstances/vnc", "virtualmachineinstances/console",
                           "virtualmachineinstances/pause", "virtualmachineinstances/unpause",
                           "virtualmachines/start", "virtualmachines/stop", "virtualmachines/restart",
                           "virtualmachines/migrate", "virtualmachineinstances/guestosinfo",
                           "virtualmachineinstances/userlist", "virtualmachineinstances/filesystemlist"})
    // virt-api fills only name and namespaced; the other fields are Go's zero values.
    resources.push_back({{"name", name}, {"singularName", ""}, {"namespaced", true}, {"kind", ""}, {"verbs", nullptr}});
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", "subresources.kubevirt.io/" + version},
          {"resources", resources}};
}

}  // namespace kvsim::sim::apiserver
