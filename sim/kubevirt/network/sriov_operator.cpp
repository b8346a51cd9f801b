#include "sim/kubevirt/network/sriov_operator.hpp"

#include <fmt/format.h>

#include "models/codec/safe_yaml.hpp"
#include "sim/kubevirt/network/multus.hpp"

namespace kvsim::sim::kubevirt::network {

using models::SriovNetwork;
using models::SriovNetworkNodePolicy;

namespace {
// Cross-namespace owner references are not allowed: the operator names its
// owner in an annotation, "SriovNetwork.sriovnetwork.openshift.io/<ns>/<name>".
constexpr const char* kOwnerRefAnnotation = "sriovnetwork.openshift.io/owner-ref";
const std::string kOwnerRefPrefix = "SriovNetwork.sriovnetwork.openshift.io/";
}  // namespace

std::map<std::string, std::int64_t> node_vf_pools(const std::vector<const SriovNetworkNodePolicy*>& policies,
                                                  const models::Labels& node_labels) {
  std::map<std::string, const SriovNetworkNodePolicy*> chosen;
  for (const auto* p : policies) {
    if (p->metadata.being_deleted()) continue;
    bool selected = true;
    for (const auto& [k, v] : p->spec.nodeSelector) {
      auto it = node_labels.find(k);
      if (it == node_labels.end() || it->second != v) selected = false;
    }
    if (!selected) continue;
    const auto resource = std::string(models::kSriovResourcePrefix) + p->spec.resourceName;
    auto& c = chosen[resource];
    const auto rank = [](const SriovNetworkNodePolicy* q) { return std::pair(q->spec.priority.value_or(99), q->metadata.name); };
    if (!c || rank(p) < rank(c)) c = p;
  }
  std::map<std::string, std::int64_t> pools;
  for (const auto& [resource, p] : chosen) pools[resource] = p->spec.numVfs;
  return pools;
}

std::shared_ptr<models::NetworkAttachmentDefinition> sriov_nad(const SriovNetwork& net) {
  auto nad = std::make_shared<models::NetworkAttachmentDefinition>();
  nad->apiVersion = "k8s.cni.cncf.io/v1";
  nad->kind = "NetworkAttachmentDefinition";
  nad->metadata.name = net.metadata.name;
  nad->metadata.namespace_ = net.target_namespace();
  nad->metadata.annotations[kResourceNameAnnotation] = std::string(models::kSriovResourcePrefix) + net.spec.resourceName;
  nad->metadata.annotations[kOwnerRefAnnotation] = kOwnerRefPrefix + net.metadata.namespace_ + "/" + net.metadata.name;
  models::Json config = {{"cniVersion", "1.0.0"}, {"name", net.metadata.name}, {"type", "sriov"},
                         {"vlan", net.spec.vlan.value_or(0)}, {"vlanQoS", net.spec.vlanQoS.value_or(0)},
                         {"logLevel", net.spec.logLevel.empty() ? "info" : net.spec.logLevel}};
  if (!net.spec.spoofChk.empty()) config["spoofchk"] = net.spec.spoofChk;
  if (!net.spec.trust.empty()) config["trust"] = net.spec.trust;
  if (!net.spec.linkState.empty()) config["link_state"] = net.spec.linkState;
  // The user's text, parsed with the input caps: config.dump() below recurses as deep as it nests.
  models::JsonError error;
  auto ipam = net.spec.ipam.empty() ? std::nullopt : models::parse_json_value(net.spec.ipam, error);
  config["ipam"] = ipam ? std::move(*ipam) : models::Json::object();
  nad->spec.config = config.dump();
  return nad;
}

SriovOperator::SriovOperator(controllers::Context& ctx, std::string host)
    : Component(ctx, "sriov-network-operator", std::move(host)) {}

void SriovOperator::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  auto all_nodes = [this] {
    for (const auto& n : ctx_.store.list(models::Node::kind_info())) enqueue("node:" + n->metadata.name);
  };
  watch({&SriovNetworkNodePolicy::kind_info(), {}, std::nullopt, {}}, [all_nodes](const api::WatchEvent&) { all_nodes(); });
  // A new node, or relabelled one, may match a policy's nodeSelector (a sync that changes nothing writes nothing).
  watch({&models::Node::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue("node:" + e.object->metadata.name);
  });
  watch({&SriovNetwork::kind_info(), {}, std::nullopt, {}},
        [this](const api::WatchEvent& e) { enqueue("net:" + controllers::key_of(*e.object)); });
  watch({&models::NetworkAttachmentDefinition::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    auto it = e.object->metadata.annotations.find(kOwnerRefAnnotation);
    if (it != e.object->metadata.annotations.end() && it->second.starts_with(kOwnerRefPrefix))
      enqueue("net:" + it->second.substr(std::string_view(kOwnerRefPrefix).size()));
  });
  all_nodes();
  for (const auto& o : ctx_.store.list(SriovNetwork::kind_info())) enqueue("net:" + controllers::key_of(*o));
}

void SriovOperator::reconcile(const std::string& key) {
  if (key.starts_with("node:")) return sync_node(key.substr(5));
  const auto [ns, name] = controllers::split_key(key.substr(4));
  sync_network(ns, name);
}

void SriovOperator::sync_node(const std::string& name) {
  auto node = ctx_.store.get<models::Node>("", name);
  if (!node) return;
  std::vector<const SriovNetworkNodePolicy*> policies;
  const auto objects = ctx_.store.list(SriovNetworkNodePolicy::kind_info());
  for (const auto& o : objects) policies.push_back(static_cast<const SriovNetworkNodePolicy*>(o.get()));
  const auto pools = node_vf_pools(policies, node->metadata.labels);
  // Only the VF resources are ours: compare those, not the whole status (this runs on every
  // change of every node, heartbeats included).
  const auto& status = node->status;
  const auto reads = [](const models::ResourceList& list, const std::string& r, const models::Quantity& want) {
    auto it = list.find(r);
    return it != list.end() && it->second == want && it->second.text() == want.text();
  };
  bool changed = false;
  for (const auto& r : managed_)
    if (!pools.contains(r) && (status.capacity.contains(r) || status.allocatable.contains(r))) changed = true;
  for (const auto& [r, n] : pools) {
    const auto want = models::Quantity::from_units(n);
    if (!reads(status.capacity, r, want) || !reads(status.allocatable, r, want)) changed = true;
  }
  for (const auto& [r, n] : pools) managed_.insert(r);
  if (!changed) return;
  auto next = std::static_pointer_cast<models::Node>(node->clone());
  for (const auto& r : managed_)
    if (!pools.contains(r)) {
      next->status.capacity.erase(r);
      next->status.allocatable.erase(r);
    }
  std::string change;
  for (const auto& [r, n] : pools) {
    next->status.capacity[r] = models::Quantity::from_units(n);
    next->status.allocatable[r] = models::Quantity::from_units(n);
    change += fmt::format("{}{}={}", change.empty() ? "" : ", ", r, n);
  }
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause(change.empty() ? "SR-IOV VFs withdrawn" : "allocatable " + change,
                                "SriovNetworkNodePolicy applied by the config daemon and device plugin"));
}

void SriovOperator::sync_network(const std::string& ns, const std::string& name) {
  auto net = ctx_.store.get<SriovNetwork>(ns, name);
  if (!net || net->metadata.being_deleted()) {
    // The NAD goes with its SriovNetwork; find it by the owner annotation.
    for (const auto& o : ctx_.store.list(models::NetworkAttachmentDefinition::kind_info())) {
      auto it = o->metadata.annotations.find(kOwnerRefAnnotation);
      if (it != o->metadata.annotations.end() && it->second == kOwnerRefPrefix + ns + "/" + name)
        ctx_.store.remove(models::NetworkAttachmentDefinition::kind_info(), o->metadata.namespace_, o->metadata.name,
                          cause("deleting", "its SriovNetwork " + ns + "/" + name + " is gone"));
    }
    return;
  }
  auto want = sriov_nad(*net);
  auto have = ctx_.store.get<models::NetworkAttachmentDefinition>(want->metadata.namespace_, want->metadata.name);
  if (!have) {
    ctx_.store.create(want, cause("created", "SriovNetwork " + ns + "/" + name + " renders its attachment"));
    return;
  }
  if (have->spec.config == want->spec.config && have->metadata.annotations == want->metadata.annotations) return;
  auto next = std::static_pointer_cast<models::NetworkAttachmentDefinition>(have->clone());
  next->spec = want->spec;
  next->metadata.annotations = want->metadata.annotations;
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause("config updated", "SriovNetwork " + ns + "/" + name + " changed"));
}

}  // namespace kvsim::sim::kubevirt::network
