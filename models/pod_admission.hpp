#pragma once
// kube-apiserver's DefaultTolerationSeconds admission plugin: a pod that does
// not tolerate node.kubernetes.io/not-ready or /unreachable (NoExecute) gets a
// toleration for each with tolerationSeconds, so it is evicted that long after
// its node fails. DaemonSet pods carry their own (forever) tolerations and
// are left alone.
#include <cstdint>
#include <string>

#include "models/pod.hpp"

namespace kvsim::models {

// The API server's flags --default-not-ready-toleration-seconds and
// --default-unreachable-toleration-seconds (both 300 upstream). Process-wide,
// as the flags are: the cluster sets them from its timing profile.
struct DefaultTolerationSeconds {
  std::int64_t not_ready = 300;
  std::int64_t unreachable = 300;
};
DefaultTolerationSeconds& default_toleration_seconds();

void add_default_tolerations(PodSpec& spec);

// The API's defaulting of a pod spec (restartPolicy, terminationGracePeriodSeconds,
// schedulerName, dnsPolicy, imagePullPolicy, port protocols, requests from
// limits), as pod templates get it too. Pods also go through the admission
// plugins above; templates do not.
void default_pod_spec(PodSpec& spec);

// The pod's QoS class as the API server records it in status.qosClass (qos.GetPodQOS,
// reduced to cpu and memory): BestEffort, Guaranteed or Burstable; status.qosClass when set.
std::string pod_qos_class(const Pod& pod);

}  // namespace kvsim::models
