#include "sim/controllers/daemonset/eligibility.hpp"

#include <algorithm>

#include "sim/controllers/scheduler/plan.hpp"

namespace kvsim::sim::controllers::daemonset {
namespace {

bool term_matches(const models::NodeSelectorTerm& term, const models::Node& node) {
  for (const auto& r : term.matchExpressions)
    if (!models::requirement_matches(r, node.metadata.labels)) return false;
  const models::Labels fields{{"metadata.name", node.metadata.name}};
  for (const auto& r : term.matchFields)
    if (!models::requirement_matches(r, fields)) return false;
  // An empty term matches nothing.
  return !(term.matchExpressions.empty() && term.matchFields.empty());
}

// nodeSelector AND any one required node-affinity term (upstream GetRequiredNodeAffinity().Match).
bool matches_selector_and_affinity(const models::PodSpec& spec, const models::Node& node) {
  for (const auto& [k, v] : spec.nodeSelector) {
    auto it = node.metadata.labels.find(k);
    if (it == node.metadata.labels.end() || it->second != v) return false;
  }
  if (!spec.affinity || !spec.affinity->nodeAffinity ||
      !spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution)
    return true;
  const auto& terms = spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms;
  return std::any_of(terms.begin(), terms.end(), [&](const auto& t) { return term_matches(t, node); });
}

// Adds `t` unless a toleration with the same key, operator, value and effect is there.
void add_toleration(std::vector<models::Toleration>& list, const models::Toleration& t) {
  const bool present = std::any_of(list.begin(), list.end(), [&](const models::Toleration& have) {
    return have.key == t.key && have.op == t.op && have.value == t.value && have.effect == t.effect;
  });
  if (!present) list.push_back(t);
}

}  // namespace

void add_daemon_tolerations(models::PodSpec& spec) {
  auto& list = spec.tolerations;
  for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"})
    add_toleration(list, {key, "Exists", "", "NoExecute", std::nullopt});
  for (const char* key : {"node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                          "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"})
    add_toleration(list, {key, "Exists", "", "NoSchedule", std::nullopt});
  if (spec.hostNetwork.value_or(false))
    add_toleration(list, {"node.kubernetes.io/network-unavailable", "Exists", "", "NoSchedule", std::nullopt});
}

NodeFit node_fit(const models::PodSpec& spec, const models::Node& node) {
  if (!spec.nodeName.empty() && spec.nodeName != node.metadata.name) return {};
  if (!matches_selector_and_affinity(spec, node)) return {};
  bool untolerated_no_schedule = false, untolerated_no_execute = false;
  for (const auto& taint : node.spec.taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    if (scheduler::tolerates(spec.tolerations, taint)) continue;
    (taint.effect == "NoExecute" ? untolerated_no_execute : untolerated_no_schedule) = true;
  }
  if (untolerated_no_schedule || untolerated_no_execute) return {false, !untolerated_no_execute};
  return {true, true};
}

std::string target_node(const models::Pod& pod) {
  if (!pod.spec.nodeName.empty()) return pod.spec.nodeName;
  if (!pod.spec.affinity || !pod.spec.affinity->nodeAffinity ||
      !pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution)
    return {};
  for (const auto& term : pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms)
    for (const auto& r : term.matchFields)
      if (r.key == "metadata.name" && r.op == "In" && r.values.size() == 1) return r.values.front();
  return {};
}

void pin_to_node(models::PodSpec& spec, const std::string& node) {
  if (!spec.affinity) spec.affinity = models::Affinity{};
  auto& affinity = spec.affinity->nodeAffinity;
  if (!affinity) affinity = models::NodeAffinity{};
  models::NodeSelectorTerm term;
  term.matchFields = {{"metadata.name", "In", {node}}};
  affinity->requiredDuringSchedulingIgnoredDuringExecution = models::NodeSelector{{term}};
}

std::shared_ptr<models::Pod> new_daemon_pod(const models::DaemonSet& ds, const std::string& node,
                                            const std::string& hash) {
  auto pod = std::make_shared<models::Pod>();
  pod->apiVersion = "v1";
  pod->kind = "Pod";
  pod->metadata.labels = ds.spec.template_.metadata.labels;
  pod->metadata.annotations = ds.spec.template_.metadata.annotations;
  pod->metadata.labels[kRevisionHashLabel] = hash;
  pod->metadata.labels[kTemplateGenerationLabel] = std::to_string(ds.metadata.generation);
  pod->metadata.generateName = ds.metadata.name + "-";
  pod->metadata.namespace_ = ds.metadata.namespace_;
  pod->metadata.ownerReferences = {{"apps/v1", "DaemonSet", ds.metadata.name, ds.metadata.uid, true, true}};
  pod->spec = ds.spec.template_.spec;
  add_daemon_tolerations(pod->spec);
  pin_to_node(pod->spec, node);
  return pod;
}

}  // namespace kvsim::sim::controllers::daemonset
