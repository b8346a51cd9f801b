#include "sim/kubevirt/virt_node_controller.hpp"

#include <fmt/format.h>

#include "models/apps.hpp"
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "sim/engine/clock.hpp"
#include "sim/kubevirt/virt_controller_leader.hpp"
#include "sim/kubevirt/virt_node_plan.hpp"

namespace kvsim::sim::kubevirt {

using models::Node;
using models::Pod;
using models::VirtualMachineInstance;

VirtNodeController::VirtNodeController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader)
    : Component(ctx, "virt-controller/node", std::move(host)), leader_(leader) {}

void VirtNodeController::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&Node::kind_info(), {}, std::nullopt, {}},
          [this](const api::WatchEvent& e) { enqueue(e.object->metadata.name); });
    watch({&VirtualMachineInstance::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      if (e.type == api::EventType::Deleted) return;
      const auto& node = static_cast<const VirtualMachineInstance&>(*e.object).status.nodeName;
      if (!node.empty()) enqueue(node);
    });
  }
  resync();
}

void VirtNodeController::resync() {
  for (const auto& o : ctx_.store.list(Node::kind_info())) enqueue(o->metadata.name);
}

void VirtNodeController::reconcile(const std::string& name) {
  if (!leader_.leading()) return;  // the new leader lists every node again
  auto node = ctx_.store.get<Node>("", name);
  std::vector<std::shared_ptr<const VirtualMachineInstance>> held;
  std::vector<const VirtualMachineInstance*> vmis;
  // The store's node index (status.nodeName), in the same namespace/name order as a full list:
  // a sync costs the node's VMIs, not the cluster's (it runs on every VMI change on the node).
  for (const auto& o : ctx_.store.on_node(VirtualMachineInstance::kind_info(), name)) {
    auto vmi = std::static_pointer_cast<const VirtualMachineInstance>(o);
    held.push_back(vmi);
    vmis.push_back(vmi.get());
  }
  std::set<std::string> alive;
  for (const auto& o : ctx_.store.on_node(Pod::kind_info(), name)) {
    const auto& pod = static_cast<const Pod&>(*o);
    if (launcher_alive(pod)) alive.insert(pod.metadata.controller_ref()->uid);
  }
  const auto plan = plan_virt_node(node.get(), vmis, alive, engine::now(), ctx_.profile.virt_node_heartbeat_timeout);
  if (plan.mark_unschedulable) {
    auto next = std::static_pointer_cast<Node>(node->clone());
    next->metadata.labels[kSchedulableLabel] = "false";
    next->metadata.resourceVersion.clear();
    if (ctx_.store.update(next, cause(std::string("label ") + kSchedulableLabel + "=false",
                                      fmt::format("virt-handler heartbeat older than {}s",
                                                  ctx_.profile.virt_node_heartbeat_timeout)))
            .ok())
      event(*node, "Normal", kNodeUnresponsive, "virt-handler is not responsive, marking node as unresponsive");
  }
  if (plan.unresponsive && node) {
    bool handler_pod = false;
    for (const auto& o : ctx_.store.on_node(Pod::kind_info(), name))
      if (auto it = o->metadata.labels.find("kubevirt.io"); it != o->metadata.labels.end() && it->second == "virt-handler")
        handler_pod = true;
    // checkDaemonSetStatus: exactly one virt-handler DaemonSet, with all it wants scheduled or ready.
    models::LabelSelector handlers;
    handlers.matchLabels["kubevirt.io"] = "virt-handler";
    const auto sets = ctx_.store.list(models::DaemonSet::kind_info(), "", &handlers);
    bool settled = false;
    if (sets.size() == 1) {
      const auto& st = static_cast<const models::DaemonSet&>(*sets.front()).status;
      settled = st.desiredNumberScheduled == st.currentNumberScheduled || st.desiredNumberScheduled == st.numberReady;
    }
    if (orphaned_vmis_on_node(plan, node.get(), vmis, handler_pod, settled))
      event(*node, "Warning", kNodeUnresponsive, kOrphanedVmisMessage);
  }
  for (const auto& key : plan.fail_vmis) {
    const auto [ns, vmi_name] = controllers::split_key(key);
    auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, vmi_name);
    if (!vmi) continue;
    event(*vmi, "Normal", kNodeUnresponsive,
          fmt::format("virt-handler on node {} is not responsive, marking VMI as failed", name));
    auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
    const std::string from = vmi->status.phase;
    next->status.phase = "Failed";
    next->status.reason = kNodeUnresponsive;
    next->status.phaseTransitionTimestamps.push_back({"Failed", models::Timestamp{engine::now()}});
    next->metadata.resourceVersion.clear();
    ctx_.store.update(next, cause(fmt::format("phase {} -> Failed", from.empty() ? "\"\"" : from),
                                  node ? "node " + name + " unresponsive and no live launcher pod"
                                       : "node " + name + " is gone and so is its launcher pod"));
  }
  if (plan.recheck) requeue_after(name, ctx_.profile.virt_node_recheck);
}

}  // namespace kvsim::sim::kubevirt
