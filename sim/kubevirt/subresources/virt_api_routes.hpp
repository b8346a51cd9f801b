#pragma once
// virt-api's REST routes behind the API server's aggregator, for the requests
// that are not streams: the VM verbs, pause/unpause, the guest agent's reports
// and /version. With no virt-api pod serving, the aggregator answers every
// subresources.kubevirt.io request 503 "service unavailable" (plain text),
// which client-go words "the server is currently unable to handle the request
// (put virtualmachines.subresources.kubevirt.io vm1)".
#include <string>

#include "sim/cluster/cluster.hpp"
#include "sim/kubevirt/subresources/answer.hpp"

namespace kvsim::sim::kubevirt::subresources {

struct SubresourceRequest {
  std::string method;       // PUT, GET
  std::string ns;
  std::string resource;     // virtualmachines, virtualmachineinstances; "" for version, healthz
  std::string name;
  std::string subresource;  // start ... (or version, healthz when resource is empty)
  std::string body;
};

// The KubeVirt release kvsim's virt-api answers as (GET .../version).
inline constexpr const char* kKubeVirtVersion = "v1.5.0";

Answer virt_api_request(cluster::Cluster& cluster, const SubresourceRequest& request);

// The aggregator's answer when virt-api does not serve ("" answer code 0 when it does).
bool virt_api_unavailable(const api::Store& store, Answer& answer);

}  // namespace kvsim::sim::kubevirt::subresources
