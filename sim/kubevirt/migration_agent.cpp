#include "sim/kubevirt/migration_agent.hpp"

#include <fmt/format.h>

#include "models/codec/timestamp.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::kubevirt {

using models::Json;
using models::VirtualMachineInstance;

namespace {

Json state_of(const VirtualMachineInstance& vmi) {
  return vmi.status.migrationState.is_object() ? vmi.status.migrationState : Json::object();
}

std::string now_text() { return models::to_rfc3339(models::Timestamp{engine::now()}); }

double dirty_rate(const VirtualMachineInstance& vmi, double profile_rate) {
  auto it = vmi.metadata.annotations.find(kDirtyRateAnnotation);
  if (it == vmi.metadata.annotations.end()) return profile_rate;
  auto q = models::Quantity::parse(it->second);
  return q ? static_cast<double>(q->units_ceil()) : profile_rate;
}

}  // namespace

MigrationAgent::MigrationAgent(controllers::Context& ctx, engine::Reactor& reactor, hypervisor::Hypervisor& hv,
                               std::string node, std::string component)
    : ctx_(ctx), reactor_(reactor), hv_(hv), node_(std::move(node)), component_(std::move(component)) {}

bool MigrationAgent::update_vmi(std::shared_ptr<VirtualMachineInstance> next, const std::string& change,
                                const std::string& why) {
  next->metadata.resourceVersion.clear();
  return ctx_.store.update(next, api::Cause{component_, change, why}).ok();
}

void MigrationAgent::lost() {
  outbound_.clear();
  preparing_.clear();
}

// --- Source -------------------------------------------------------------------------------

void MigrationAgent::source(const VirtualMachineInstance& vmi) {
  const Json ms = state_of(vmi);
  const auto uid = ms.value("migrationUid", std::string());
  if (uid.empty() || ms.value("sourceNode", std::string()) != node_) return;
  auto it = outbound_.find(uid);
  if (ms.value("completed", false) || ms.value("failed", false)) {
    // Decided elsewhere (the controller failed it): stop sending.
    if (it != outbound_.end()) {
      it->second.control->cancelled = true;
      outbound_.erase(it);
    }
    return;
  }
  if (it != outbound_.end()) {
    if (ms.value("abortRequested", false) && it->second.abort_reason.empty()) {
      it->second.abort_reason = "Live migration aborted";
      it->second.control->cancelled = true;
    }
    return;
  }
  if (ms.value("targetNodeAddress", std::string()).empty() || ms.contains("startTimestamp")) return;
  if (vmi.status.phase != "Running") return;
  start_outbound(vmi);
}

void MigrationAgent::start_outbound(const VirtualMachineInstance& vmi) {
  const Json ms = state_of(vmi);
  const auto uid = ms.value("migrationUid", std::string());
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi.clone());
  next->status.migrationState["startTimestamp"] = now_text();
  next->status.migrationState["mode"] = "PreCopy";
  if (!update_vmi(next, "migrationState.startTimestamp",
                  "the target on " + ms.value("targetNode", std::string()) + " is ready: pre-copy starts"))
    return;
  Outbound o;
  o.vmi_key = controllers::key_of(vmi);
  o.target_node = ms.value("targetNode", std::string());
  o.params.memory_bytes = vmi_memory_bytes(vmi);
  o.params.dirty_rate = dirty_rate(vmi, ctx_.profile.migration_dirty_rate);
  o.params.max_downtime = ctx_.profile.migration_max_downtime;
  o.started = engine::now();
  o.best_remaining = o.params.memory_bytes;
  o.last_progress = o.started;
  outbound_[uid] = std::move(o);
  ctx_.store.record_event(vmi, "Normal", "Migrating",
                          "VirtualMachineInstance is migrating to node " + outbound_[uid].target_node + ".", component_);
  // The completion timeout counts from the start, whatever the rounds do.
  const double completion =
      completion_timeout(ctx_.profile.migration_completion_timeout_per_gib, outbound_[uid].params.memory_bytes);
  if (completion > 0)
    reactor_.post(completion + ctx_.profile.migration_monitor_poll, [this, uid] { check_timeouts(uid, 0); });
  send_round(uid, outbound_[uid].params.memory_bytes);
}

void MigrationAgent::send_round(const std::string& uid, double bytes) {
  auto& o = outbound_.at(uid);
  ++o.round;
  o.round_bytes = bytes;
  o.control = std::make_shared<engine::TransferControl>();
  const auto round = o.round;
  if (round > 1) {
    // A round is progress when it is a new low of the data still to send.
    o.progressing = bytes < o.best_remaining;
    if (o.progressing) {
      o.best_remaining = bytes;
      o.last_progress = engine::now();
    }
  }
  if (!o.progressing && ctx_.profile.migration_progress_timeout > 0)
    reactor_.post(o.last_progress + ctx_.profile.migration_progress_timeout + ctx_.profile.migration_monitor_poll -
                      engine::now(),
                  [this, uid, round] { check_timeouts(uid, round); });
  auto* reactor = &reactor_;
  engine::watched_transfer(node_, o.target_node, bytes, ctx_.profile.migration_bandwidth_per_migration,
                           ctx_.profile.migration_monitor_poll, o.control,
                           [this, reactor, uid, round](const engine::TransferOutcome& out) {
                             reactor->post(0, [this, uid, round, out] {
                               auto it = outbound_.find(uid);
                               if (it == outbound_.end() || it->second.round != round) return;
                               round_done(uid, out);
                             });
                           });
}

void MigrationAgent::check_timeouts(const std::string& uid, std::uint64_t round) {
  auto it = outbound_.find(uid);
  if (it == outbound_.end() || !it->second.abort_reason.empty()) return;
  auto& o = it->second;
  if (round != 0 && round != o.round) return;  // a later round re-armed the progress check
  const double now = engine::now();
  const double since_progress = o.progressing ? 0 : now - o.last_progress;
  const auto verdict = migration_timeout({ctx_.profile.migration_completion_timeout_per_gib,
                                          ctx_.profile.migration_progress_timeout},
                                         o.params.memory_bytes, now - o.started, since_progress);
  if (verdict.empty()) return;
  o.abort_reason = verdict;
  o.control->cancelled = true;
}

void MigrationAgent::round_done(const std::string& uid, const engine::TransferOutcome& out) {
  auto& o = outbound_.at(uid);
  if (!out.ok) {
    finish(uid, false,
           !o.abort_reason.empty() ? o.abort_reason
                                   : "Live migration failed: the connection to the target on " + o.target_node +
                                         " was lost (" + out.why + ")");
    return;
  }
  if (o.stop_copy) {
    finish(uid, true, {});
    return;
  }
  if (o.progressing) o.last_progress = engine::now();
  // QEMU estimates the bandwidth from the round just sent.
  if (out.seconds > 0) o.params.bandwidth = o.round_bytes / out.seconds;
  const double next = next_round_bytes(o.params, out.seconds);
  if (next <= 0) {
    finish(uid, true, {});
    return;
  }
  if (o.params.bandwidth > 0 && fits_downtime(o.params, next)) o.stop_copy = true;  // the guest pauses while the rest goes
  send_round(uid, next);
}

void MigrationAgent::finish(const std::string& uid, bool ok, const std::string& reason) {
  auto it = outbound_.find(uid);
  if (it == outbound_.end()) return;
  const Outbound o = it->second;
  outbound_.erase(it);
  const auto [ns, name] = controllers::split_key(o.vmi_key);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi || state_of(*vmi).value("migrationUid", std::string()) != uid) return;
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
  auto& ms = next->status.migrationState;
  ms["endTimestamp"] = now_text();
  if (ok) {
    ms["completed"] = true;
    // The domain now lives on the target; the source's copy is gone (libvirt: Shutoff, reason Migrated).
    hv_.migrated_away(domain_name(*vmi));
    // With its domain gone the source virt-launcher has nothing left to run: it exits, and its
    // pod stays, Completed, until the VMI goes (kubevirt issues #5657, #10695).
    if (launcher_exited_)
      reactor_.post(ctx_.profile.container_stop, [exited = launcher_exited_, ns = ns, pod = ms.value("sourcePod", std::string())] {
        if (!pod.empty()) exited(ns, pod);
      });
    update_vmi(next, "migrationState.completed",
               fmt::format("pre-copy done in {:.3f}s", engine::now() - o.started));
    return;
  }
  ms["failed"] = true;
  ms["failureReason"] = reason;
  if (ms.value("abortRequested", false)) ms["abortStatus"] = "Succeeded";
  next->metadata.labels.erase(kMigrationTargetNodeLabel);
  ctx_.store.record_event(*vmi, "Warning", "Migrated",
                          fmt::format("VirtualMachineInstance migration uid {} failed. reason:{}", uid, reason),
                          component_);
  update_vmi(next, "migrationState.failed", reason);
}

// --- Target -------------------------------------------------------------------------------

void MigrationAgent::target(const VirtualMachineInstance& vmi) {
  const Json ms = state_of(vmi);
  const auto uid = ms.value("migrationUid", std::string());
  if (uid.empty() || ms.value("targetNode", std::string()) != node_) return;
  const auto domain = domain_name(vmi);
  if (ms.value("failed", false)) {
    // Nothing arrives: the incoming domain is dropped.
    if (vmi.status.nodeName != node_ && hv_.defined(domain)) hv_.undefine(domain);
    preparing_.erase(uid);
    return;
  }
  if (ms.value("completed", false)) {
    if (vmi.status.nodeName != node_) claim(vmi);
    return;
  }
  if (!ms.value("targetNodeAddress", std::string()).empty() || preparing_.contains(uid)) return;
  preparing_.insert(uid);
  const auto key = controllers::key_of(vmi);
  reactor_.post(ctx_.profile.migration_target_prepare, [this, key, uid] { prepare_target(key, uid); });
}

void MigrationAgent::prepare_target(const std::string& key, const std::string& uid) {
  if (!preparing_.contains(uid)) return;
  const auto [ns, name] = controllers::split_key(key);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi) return;
  const Json ms = state_of(*vmi);
  if (ms.value("migrationUid", std::string()) != uid || ms.value("failed", false)) return;
  // virt-launcher on the target starts QEMU waiting for the incoming memory.
  hypervisor::DomainConfig config{domain_name(*vmi), vmi_memory_bytes(*vmi) / 1048576.0,
                                  vmi->spec.domain.cpu && vmi->spec.domain.cpu->cores ? *vmi->spec.domain.cpu->cores : 1};
  hv_.prepare_incoming(config);
  std::string address = node_;
  if (auto node = ctx_.store.get<models::Node>("", node_))
    for (const auto& a : node->status.addresses)
      if (a.type == "InternalIP") address = a.address;
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
  next->status.migrationState["targetNodeAddress"] = address;
  update_vmi(next, "migrationState.targetNodeAddress " + address, "the incoming domain waits on " + node_);
}

void MigrationAgent::claim(const VirtualMachineInstance& vmi) {
  const Json ms = state_of(vmi);
  const auto domain = domain_name(vmi);
  if (!hv_.defined(domain)) {
    hypervisor::DomainConfig config{domain, vmi_memory_bytes(vmi) / 1048576.0,
                                    vmi.spec.domain.cpu && vmi.spec.domain.cpu->cores ? *vmi.spec.domain.cpu->cores : 1};
    hv_.prepare_incoming(config);
  }
  hv_.incoming_done(domain);
  preparing_.erase(ms.value("migrationUid", std::string()));
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi.clone());
  const auto old_node = vmi.status.nodeName;
  next->status.nodeName = node_;
  next->metadata.labels["kubevirt.io/nodeName"] = node_;
  next->metadata.labels.erase(kMigrationTargetNodeLabel);
  // An evacuation is over once the VMI has left the node (the drain can finish).
  if (next->status.evacuationNodeName == old_node) next->status.evacuationNodeName.clear();
  next->status.migrationState["targetNodeDomainDetected"] = true;
  next->status.migrationState["targetNodeDomainReadyTimestamp"] = now_text();
  // The pod network's address is now the target pod's (masquerade NATs it to the guest).
  std::string old_ip, new_ip;
  for (const auto& o : ctx_.store.owned_by(vmi.metadata.uid)) {
    if (o->kind != "Pod") continue;
    const auto& pod = static_cast<const models::Pod&>(*o);
    if (pod.metadata.name == ms.value("targetPod", std::string())) {
      new_ip = pod.status.podIP;
    } else if (pod.spec.nodeName == old_node) {
      old_ip = pod.status.podIP;
    }
  }
  if (!old_ip.empty() && !new_ip.empty())
    for (auto& itf : next->status.interfaces)
      if (itf.ipAddress == old_ip) {
        itf.ipAddress = new_ip;
        itf.ipAddresses = {new_ip};
      }
  ctx_.store.record_event(vmi, "Normal", "Migrated", "The VirtualMachineInstance migrated to node " + node_ + ".",
                          component_);
  update_vmi(next, "nodeName " + old_node + " -> " + node_, "the migrated domain runs on " + node_);
}

}  // namespace kvsim::sim::kubevirt
