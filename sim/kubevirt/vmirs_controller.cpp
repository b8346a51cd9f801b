#include "sim/kubevirt/vmirs_controller.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "sim/kubevirt/virt_controller_leader.hpp"
#include "sim/kubevirt/vmirs_plan.hpp"

namespace kvsim::sim::kubevirt {

using models::VirtualMachineInstance;
using models::VirtualMachineInstanceReplicaSet;

VmirsController::VmirsController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader)
    : Component(ctx, "virt-controller/replicaset", std::move(host)), leader_(leader) {}

void VmirsController::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&VirtualMachineInstanceReplicaSet::kind_info(), {}, std::nullopt, {}},
          [this](const api::WatchEvent& e) { enqueue(controllers::key_of(*e.object)); });
    // A VMI's change wakes its replica set, or every replica set of its namespace for an orphan.
    watch({&VirtualMachineInstance::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      const auto& ns = e.object->metadata.namespace_;
      if (const auto* ref = e.object->metadata.controller_ref()) {
        if (ref->kind == "VirtualMachineInstanceReplicaSet") enqueue(ns + "/" + ref->name);
        return;
      }
      for (const auto& o : ctx_.store.list(VirtualMachineInstanceReplicaSet::kind_info(), ns))
        enqueue(controllers::key_of(*o));
    });
  }
  resync();
}

void VmirsController::resync() {
  for (const auto& o : ctx_.store.list(VirtualMachineInstanceReplicaSet::kind_info())) enqueue(controllers::key_of(*o));
}

void VmirsController::reconcile(const std::string& key) {
  if (!leader_.leading()) return;  // the new leader lists every replica set again
  const auto [ns, name] = controllers::split_key(key);
  auto rs = ctx_.store.get<VirtualMachineInstanceReplicaSet>(ns, name);
  if (!rs) return;
  const auto listed = ctx_.store.list(VirtualMachineInstance::kind_info(), ns);
  std::vector<const VirtualMachineInstance*> vmis;
  for (const auto& o : listed) vmis.push_back(static_cast<const VirtualMachineInstance*>(o.get()));
  std::sort(vmis.begin(), vmis.end(), [](const auto* a, const auto* b) { return a->metadata.name < b->metadata.name; });
  const VmirsPlan plan = plan_vmirs(*rs, vmis);
  const models::OwnerReference owner{"kubevirt.io/v1", "VirtualMachineInstanceReplicaSet", name, rs->metadata.uid, true,
                                     true};
  for (const auto& orphan : plan.adopt) {
    auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, orphan);
    if (!vmi) continue;
    auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
    next->metadata.ownerReferences.push_back(owner);
    next->metadata.resourceVersion.clear();
    ctx_.store.update(next, cause("adopted by VirtualMachineInstanceReplicaSet " + name, "its selector matches"));
  }
  for (int i = 0; i < plan.create; ++i) {
    auto vmi = std::make_shared<VirtualMachineInstance>();
    vmi->apiVersion = "kubevirt.io/v1";
    vmi->kind = "VirtualMachineInstance";
    vmi->metadata = rs->spec.template_.metadata;
    vmi->metadata.name.clear();
    vmi->metadata.generateName = vmirs_base_name(*rs);
    vmi->metadata.namespace_ = ns;
    vmi->metadata.ownerReferences = {owner};
    vmi->spec = rs->spec.template_.spec;
    auto r = ctx_.store.create(vmi, cause("created", "VirtualMachineInstanceReplicaSet " + name + ": " + plan.why));
    if (r.ok())
      event(*rs, "Normal", "SuccessfulCreate",
            "Started the virtual machine by creating the new virtual machine instance " + r.object->metadata.name);
    else
      event(*rs, "Warning", "FailedCreate", "Error creating virtual machine instance: " + r.error);
  }
  // `&ns = ns`: clang 14 cannot capture a structured binding.
  auto remove = [&, &ns = ns](const std::string& vmi_name, const std::string& why) {
    auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, vmi_name);
    if (!vmi) return;
    auto r = ctx_.store.remove(VirtualMachineInstance::kind_info(), ns, vmi_name, cause("deleting", why));
    if (r.ok())
      event(*rs, "Normal", "SuccessfulDelete",
            "Stopped the virtual machine by deleting the virtual machine instance " + vmi->metadata.uid);
  };
  for (const auto& v : plan.scale_down) remove(v, "VirtualMachineInstanceReplicaSet " + name + ": " + plan.why);
  for (const auto& v : plan.finished) remove(v, "VirtualMachineInstanceReplicaSet " + name + ": the VMI is final");
  if (rs->status.replicas == plan.replicas && rs->status.readyReplicas == plan.ready) return;
  auto next = std::static_pointer_cast<VirtualMachineInstanceReplicaSet>(rs->clone());
  next->status.replicas = plan.replicas;
  next->status.readyReplicas = plan.ready;
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause(fmt::format("status replicas {} ready {}", plan.replicas, plan.ready), "VMIs counted"));
}

}  // namespace kvsim::sim::kubevirt
