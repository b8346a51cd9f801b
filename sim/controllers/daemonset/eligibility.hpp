#pragma once
// Which nodes a DaemonSet's pod belongs on, and the pod it makes for one
// (upstream pkg/controller/daemon: NodeShouldRunDaemonPod, NewPod, and
// daemon/util: AddOrUpdateDaemonPodTolerations, CreatePodTemplate,
// ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName).
#include <string>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::daemonset {

inline constexpr const char* kRevisionHashLabel = "controller-revision-hash";
inline constexpr const char* kTemplateGenerationLabel = "pod-template-generation";

// The tolerations every daemon pod carries (operator Exists, no
// tolerationSeconds): NoExecute not-ready and unreachable; NoSchedule
// disk-pressure, memory-pressure, pid-pressure, unschedulable; and
// network-unavailable for host-network pods. Existing ones are kept.
void add_daemon_tolerations(models::PodSpec& spec);

struct NodeFit {
  bool should_run = false;               // a daemon pod belongs here
  bool should_continue_running = false;  // an existing one may stay (tolerates the NoExecute taints)
};

// `spec` is the template's spec with the daemon tolerations added. Node name,
// nodeSelector and required node affinity must match; NoSchedule and NoExecute
// taints must be tolerated (a pod already there may stay unless a NoExecute
// taint is not tolerated).
NodeFit node_fit(const models::PodSpec& spec, const models::Node& node);

// The node a daemon pod is for: spec.nodeName once bound, else the node its
// `matchFields metadata.name In [node]` affinity pins it to; "" when neither.
std::string target_node(const models::Pod& pod);

// Upstream replaces every required node-affinity term with one
// `matchFields: metadata.name In [node]` term, so the default scheduler can
// place the pod only there (preferred terms are kept).
void pin_to_node(models::PodSpec& spec, const std::string& node);

// The pod the controller creates on `node`: the template with the daemon
// tolerations, the pinning affinity, labels controller-revision-hash and
// pod-template-generation, generateName `<ds>-`, and a controller
// ownerReference to the DaemonSet.
std::shared_ptr<models::Pod> new_daemon_pod(const models::DaemonSet& ds, const std::string& node,
                                            const std::string& hash);

}  // namespace kvsim::sim::controllers::daemonset
