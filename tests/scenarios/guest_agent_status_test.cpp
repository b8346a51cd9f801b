// The guest agent's data in the VMI status (issue 20, item 9; KubeVirt v1.5 virt-handler
// vm.go: status.guestOSInfo from the domain's OS info once AgentConnected;
// pkg/network/setup/netstat.go: the guest's interface name comes from the agent only, and
// an interface the agent reports gets infoSource "domain, guest-agent", its pod IP kept).
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"

using namespace kvsim;

namespace {

std::shared_ptr<const models::VirtualMachineInstance> fedora_vmi(sim::cluster::Cluster& c) {
  return c.store().get<models::VirtualMachineInstance>("default", "fedora");
}

}  // namespace

TEST_CASE("once the guest agent connects, the VMI shows guestOSInfo and its interfaces' guest names") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  testing::apply_yaml(cluster, testing::vm_yaml("fedora", "Always", testing::kFedoraImage));
  const double running = testing::run_until_true(cluster, 120, [&] {
    auto v = fedora_vmi(cluster);
    return v && v->status.phase == "Running";
  });
  REQUIRE(running > 0);
  // Booted, no agent yet: what the domain alone tells.
  REQUIRE(fedora_vmi(cluster)->status.interfaces.size() == 1);
  CHECK(fedora_vmi(cluster)->status.interfaces[0].infoSource == "domain");
  CHECK(fedora_vmi(cluster)->status.interfaces[0].interfaceName.empty());
  CHECK(fedora_vmi(cluster)->status.guestOSInfo.is_null());
  const std::string pod_ip = fedora_vmi(cluster)->status.interfaces[0].ipAddress;
  REQUIRE_FALSE(pod_ip.empty());

  const double connected = testing::run_until_true(cluster, running + 60, [&] {
    return models::find_condition(fedora_vmi(cluster)->status.conditions, "AgentConnected") != nullptr;
  });
  REQUIRE(connected > 0);
  CHECK(connected - running == Approx(20).margin(0.5));  // the profile's guestAgentConnect
  // As `get vmi fedora -o yaml` shows them.
  const auto yaml = testing::run_ok(exec, "get vmi fedora -o yaml");
  CHECK(yaml.find("  guestOSInfo:\n") != std::string::npos);
  CHECK(yaml.find("    prettyName: Fedora Linux 40 (Cloud Edition)\n") != std::string::npos);
  CHECK(yaml.find("    kernelRelease: 6.8.5-301.fc40.x86_64\n") != std::string::npos);
  CHECK(yaml.find("    id: fedora\n") != std::string::npos);
  CHECK(yaml.find("infoSource: domain, guest-agent\n") != std::string::npos);
  CHECK(yaml.find("interfaceName: eth0\n") != std::string::npos);
  // The pod network's address stays the pod's (masquerade), not the guest's 10.0.2.2.
  CHECK(fedora_vmi(cluster)->status.interfaces[0].ipAddress == pod_ip);
}
