#include "sim/kubevirt/guest_agent.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace kvsim::sim::kubevirt {

bool guest_has_agent(const models::VirtualMachineInstance& vmi, const std::string& boot_image) {
  if (auto it = vmi.metadata.annotations.find(kGuestAgentAnnotation); it != vmi.metadata.annotations.end())
    return it->second == "true";
  std::vector<std::string> images;
  for (const auto& v : vmi.spec.volumes)
    if (v.containerDisk) images.push_back(v.containerDisk->image);
  if (!boot_image.empty()) images.push_back(boot_image);
  for (std::string image : images) {
    std::transform(image.begin(), image.end(), image.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* distro : {"fedora", "centos", "rhel", "ubuntu", "debian"})
      if (image.find(distro) != std::string::npos) return true;
  }
  return false;
}

}  // namespace kvsim::sim::kubevirt
