#pragma once
// virt-api's VirtualMachineInstance subresources (pkg/virt-api/rest, KubeVirt
// v1.5): PUT pause and unpause (through the VMI's virt-handler), GET
// guestosinfo, userlist and filesystemlist (what its guest agent reports), and
// the checks virt-api makes before it streams a console or VNC connection.
#include <string>

#include "sim/cluster/cluster.hpp"
#include "sim/kubevirt/subresources/answer.hpp"

namespace kvsim::sim::kubevirt::subresources {

// action: pause or unpause. PauseOptions/UnpauseOptions {dryRun}: 200, or 404/409/403/500.
Answer pause_vmi(cluster::Cluster& cluster, const std::string& action, const std::string& ns, const std::string& name,
                 const std::string& body);
// what: guestosinfo, userlist or filesystemlist. Refusals are plain text with code 500, as
// virt-api's httpGetRequestHandler writes them (response.WriteError).
Answer guest_agent_request(cluster::Cluster& cluster, const std::string& what, const std::string& ns,
                           const std::string& name);
// Before a console (what "console") or VNC ("vnc") stream: the VMI, virt-api's
// validation (400 "VMI is not running" is what virtctl console retries on), and
// the virt-handler it dials. ok() when the stream may open.
Answer stream_check(cluster::Cluster& cluster, const std::string& what, const std::string& ns, const std::string& name);

}  // namespace kvsim::sim::kubevirt::subresources
