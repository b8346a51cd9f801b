#include "sim/kubevirt/guest_agent.hpp"

#include <algorithm>
#include <cctype>

namespace kvsim::sim::kubevirt {

bool guest_has_agent(const models::VirtualMachineInstance& vmi) {
  if (auto it = vmi.metadata.annotations.find(kGuestAgentAnnotation); it != vmi.metadata.annotations.end())
    return it->second == "true";
  for (const auto& v : vmi.spec.volumes) {
    if (!v.containerDisk) continue;
    std::string image = v.containerDisk->image;
    std::transform(image.begin(), image.end(), image.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* distro : {"fedora", "centos", "rhel", "ubuntu", "debian"})
      if (image.find(distro) != std::string::npos) return true;
  }
  return false;
}

}  // namespace kvsim::sim::kubevirt
