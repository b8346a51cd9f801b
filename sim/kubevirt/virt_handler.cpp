#include "sim/kubevirt/virt_handler.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/engine/clock.hpp"
#include "sim/guest/guest_agent_info.hpp"
#include "sim/guest/guest_os.hpp"
#include "sim/hypervisor/libvirt_hypervisor.hpp"
#include "sim/kubevirt/access_credentials.hpp"
#include "sim/kubevirt/cloud_init_data.hpp"
#include "sim/kubevirt/guest_agent.hpp"
#include "sim/kubevirt/network/multus.hpp"
#include "sim/kubevirt/vmi_status.hpp"

namespace kvsim::sim::kubevirt {

namespace {

// virt-handler's cmd-client reports a launcher's failure as `server error. command SyncVMI
// failed: %q` (Go's quoting; JSON's is the same for these messages).
std::string sync_vmi_failed(const std::string& launcher_error) {
  return "server error. command SyncVMI failed: " + models::Json(launcher_error).dump();
}

// CheckFailure's condition for a failed sync.
models::Condition sync_failed_condition(const std::string& launcher_error) {
  return {"Synchronized", "False", "Synchronizing with the Domain failed.", sync_vmi_failed(launcher_error)};
}

// The first of `keys` that Secret `name` holds, as its mounted files show it.
std::optional<std::string> secret_value(const api::Store& store, const std::string& ns, const std::string& name,
                                        std::initializer_list<const char*> keys) {
  const auto secret = store.get<models::Secret>(ns, name);
  if (!secret) return std::nullopt;
  for (const char* k : keys)
    if (auto v = secret->value(k)) return v;
  return std::nullopt;
}

// Every file of Secret `name` as mounted (key -> decoded value); nullopt when it does not exist.
std::optional<std::map<std::string, std::string>> secret_files(const api::Store& store, const std::string& ns,
                                                                const std::string& name) {
  const auto secret = store.get<models::Secret>(ns, name);
  if (!secret) return std::nullopt;
  std::map<std::string, std::string> files;
  for (const auto* map : {&secret->data, &secret->stringData})
    for (const auto& entry : *map)
      if (auto v = secret->value(entry.first)) files[entry.first] = *v;
  return files;
}

// What the guest of `vmi` is handed at start, from its Secrets as they are now.
guest::GuestProvisioning seed_of(const api::Store& store, const models::VirtualMachineInstance& vmi) {
  const auto& ns = vmi.metadata.namespace_;
  return cloud_init_seed(
      vmi.spec, [&](const std::string& secret, auto keys) { return secret_value(store, ns, secret, keys); },
      [&](const std::string& secret) { return secret_files(store, ns, secret); });
}

}  // namespace

namespace {
// Work keys of VMIs migrating to this node.
constexpr const char* kTargetPrefix = "migration-target:";

// The machine type the domain reports (updateMachineType reads libvirt's domain XML): libvirt
// expands the alias q35 to the newest versioned machine of the launcher's qemu-kvm, which is
// pc-q35-rhel9.6.0 on OpenShift 4.19 (RHEL 9.6; the machine_type label of kubevirt_vmi metrics
// on 4.19 clusters). Other types are kept as written.
std::string domain_machine_type(const models::Json& spec_machine) {
  const std::string type = spec_machine.is_object() ? spec_machine.value("type", std::string()) : std::string();
  return type.empty() || type == "q35" ? "pc-q35-rhel9.6.0" : type;
}
}  // namespace

using hypervisor::DomainState;
using hypervisor::StopReason;
using models::VirtualMachineInstance;

VirtHandler::VirtHandler(controllers::Context& ctx, std::string node, const std::string& hypervisor_uri)
    : Component(ctx, "virt-handler/" + node, node), node_(std::move(node)) {
  auto on_event = [this](const hypervisor::DomainEvent& e) { on_domain(e); };
  if (hypervisor_uri == "sim")
    hypervisor_ = std::make_unique<hypervisor::SimHypervisor>(reactor_, ctx.profile.domain_start, ctx.profile.guest_shutdown,
                                                              on_event);
  else
    hypervisor_ = std::make_unique<hypervisor::LibvirtHypervisor>(reactor_, hypervisor_uri, on_event);
  migration_ = std::make_unique<MigrationAgent>(ctx, reactor_, *hypervisor_, node_, component_name());
}

void VirtHandler::start() {
  Component::start();
  if (!watch_id_)
    watch_id_ = watch({&VirtualMachineInstance::kind_info(), {}, std::nullopt, node_},
                      [this](const api::WatchEvent& e) { enqueue(controllers::key_of(*e.object), ctx_.profile.handler_sync_latency); });
  if (!pods_watch_id_)
    pods_watch_id_ = watch({&models::Pod::kind_info(), "openshift-cnv", models::LabelSelector{{{"kubevirt.io", "virt-handler"}}, {}}, node_},
                           [this](const api::WatchEvent&) { refresh_active(); });
  if (!migration_watch_id_)
    migration_watch_id_ =
        watch({&VirtualMachineInstance::kind_info(), {}, models::LabelSelector{{{kMigrationTargetNodeLabel, node_}}, {}}, {}},
              [this](const api::WatchEvent& e) {
                enqueue(kTargetPrefix + controllers::key_of(*e.object), ctx_.profile.handler_sync_latency);
              });
  installed_ = !started_once_ && engine::now() <= 0;
  started_once_ = true;
  // A host coming back: the process restarts with its pod (the kubelet reports it again).
  active_ = false;
  refresh_active();
}

void VirtHandler::refresh_active() {
  bool running = false;
  bool terminating = false;
  for (const auto& o : ctx_.store.on_node(models::Pod::kind_info(), node_)) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    const auto label = pod.metadata.labels.find("kubevirt.io");
    if (pod.metadata.namespace_ != "openshift-cnv" || label == pod.metadata.labels.end() || label->second != "virt-handler")
      continue;
    const auto* ready = models::find_condition(pod.status.conditions, "Ready");
    if (pod.metadata.being_deleted()) terminating = true;
    else if (pod.status.phase == "Running" && ready && ready->status == "True") running = true;
  }
  if (installed_) {
    if (running || terminating) installed_ = false;
    else running = true;
  }
  if (running == active_) return;
  active_ = running;
  ++heartbeat_generation_;
  if (active_) {
    // The process starts: its heartbeat begins at once and it syncs every VMI of the node.
    heartbeat(heartbeat_generation_);
    for (const auto& o : ctx_.store.on_node(VirtualMachineInstance::kind_info(), node_))
      enqueue(controllers::key_of(*o), ctx_.profile.handler_sync_latency);
    auto deferred = std::move(deferred_);
    deferred_.clear();
    for (const auto& e : deferred) on_domain(e);
    return;
  }
  // Stopping (its pod deleted): on the way out it labels the node unschedulable
  // (heartbeat.go labelNodeUnschedulable).
  if (!terminating) return;
  if (auto node = ctx_.store.get<models::Node>("", node_)) {
    auto next = std::static_pointer_cast<models::Node>(node->clone());
    next->metadata.labels["kubevirt.io/schedulable"] = "false";
    next->metadata.annotations["kubevirt.io/heartbeat"] = models::to_rfc3339(models::Timestamp{engine::now()});
    next->metadata.resourceVersion.clear();
    ctx_.store.update(next, cause("label kubevirt.io/schedulable=false", "virt-handler stopping"));
  }
}

void VirtHandler::lost() {
  lose_work();
  migration_->lost();
}

std::string VirtHandler::domain_name(const VirtualMachineInstance& vmi) {
  return vmi.metadata.namespace_ + "_" + vmi.metadata.name;
}

void VirtHandler::heartbeat(unsigned generation) {
  if (generation != heartbeat_generation_ || !active_) return;
  if (auto node = ctx_.store.get<models::Node>("", node_)) {
    auto next = std::static_pointer_cast<models::Node>(node->clone());
    const bool was = node->metadata.labels.count("kubevirt.io/schedulable") &&
                     node->metadata.labels.at("kubevirt.io/schedulable") == "true";
    next->metadata.labels["kubevirt.io/schedulable"] = "true";
    next->metadata.annotations["kubevirt.io/heartbeat"] = models::to_rfc3339(models::Timestamp{engine::now()});
    next->metadata.resourceVersion.clear();
    api::Cause c = cause("label kubevirt.io/schedulable=true", "virt-handler heartbeat");
    c.quiet = was;
    ctx_.store.update(next, c);
  }
  // wait.JitterUntil(heartbeat, 1 min, jitter 1.2, sliding): period + rand * 1.2 * period,
  // so 60 s to 132 s between heartbeats.
  const double period = ctx_.profile.virt_handler_heartbeat;
  reactor_.post(period + ctx_.rng.uniform() * 1.2 * period, [this, generation] { heartbeat(generation); });
}

void VirtHandler::reconcile(const std::string& key) {
  if (!active_) return;  // no virt-handler process: resynced when its pod runs again
  if (key.starts_with(kTargetPrefix)) {
    // A VMI migrating here (its nodeName is still the source's).
    const auto [tns, tname] = controllers::split_key(key.substr(std::string_view(kTargetPrefix).size()));
    if (auto vmi = ctx_.store.get<VirtualMachineInstance>(tns, tname)) migration_->target(*vmi);
    return;
  }
  const auto [ns, name] = controllers::split_key(key);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi || vmi->status.nodeName != node_) return;
  const auto domain = domain_name(*vmi);
  vmi_of_domain_[domain] = key;
  auto& hv = *hypervisor_;
  const auto state = hv.state(domain);
  if (vmi->is_final()) {
    if (hv.defined(domain) && state != DomainState::Running) {
      hv.undefine(domain);
      provisioned_.erase(domain);
    }
    return;
  }
  if (vmi->metadata.being_deleted()) {
    if (state == DomainState::Running || state == DomainState::Paused) {
      const double grace = static_cast<double>(vmi->spec.terminationGracePeriodSeconds.value_or(30));
      // No grace period (virtctl stop --grace-period=0 --force): the domain is killed,
      // not signalled (upstream helperVmShutdown: KillVirtualMachine, event Deleted).
      if (grace == 0) {
        hv.destroy(domain);
        event(*vmi, "Normal", "Deleted", "VirtualMachineInstance stopping");
      } else {
        hv.shutdown(domain, grace);
        event(*vmi, "Normal", "ShuttingDown", "Signaled Graceful Shutdown");
      }
    } else if (vmi->status.phase == "Scheduled" && state != DomainState::Running && !hv.defined(domain)) {
      auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
      next->status.phase = "Failed";
      next->metadata.resourceVersion.clear();
      ctx_.store.update(next, cause("phase Scheduled -> Failed", "deleted before its domain started"));
    }
    return;
  }
  if (vmi->status.migrationState.is_object()) migration_->source(*vmi);
  if (vmi->status.phase == "Scheduled" && !hv.defined(domain)) {
    // virt-launcher prepares the cloud-init disk first; without data it fails the sync, and
    // virt-handler retries on its work queue's per-item backoff (5 ms doubling, at most 1000 s).
    const auto cloud_init_error = cloud_init_data_error(vmi->spec, [&](const std::string& secret, auto keys) {
      return secret_value(ctx_.store, vmi->metadata.namespace_, secret, keys);
    });
    if (!cloud_init_error.empty()) {
      report_sync_failure(*vmi, cloud_init_error);
      const int failures = sync_failures_[key]++;
      requeue_after(key, std::min(0.005 * std::pow(2.0, failures), 1000.0));
      return;
    }
    sync_failures_.erase(key);
    // virt-launcher defines the domain through its own libvirt (virtqemud), then starts it.
    const auto& memory = vmi->spec.domain.resources.requests;
    hypervisor::DomainConfig config{domain,
                                    memory.count("memory") ? static_cast<double>(memory.at("memory").units_ceil()) / 1048576.0 : 0,
                                    vmi->spec.domain.cpu && vmi->spec.domain.cpu->cores ? *vmi->spec.domain.cpu->cores : 1};
    // Upstream's functional tests make virt-launcher fail fast with this annotation; here the
    // domain crashes while booting, so the VMI goes Scheduled -> Failed without ever running.
    config.crash_on_start = vmi->metadata.annotations.contains(kLauncherFailFastAnnotation);
    for (const auto& disk : vmi->spec.domain.devices.disks) config.disks.push_back(disk.name);
    hv.define(config);
    provisioned_[domain] = {vmi->metadata.uid, seed_of(ctx_.store, *vmi)};
    reactor_.post(ctx_.profile.domain_define, [this, domain] { hypervisor_->start(domain); });
    // preStartHook starts the credential watcher (HandleQemuAgentAccessCredentials); its
    // first check comes one interval later.
    if (propagates_through_agent(vmi->spec)) {
      credential_watches_[key] = {vmi->metadata.uid, true, {}, engine::now() + ctx_.profile.access_credentials_resync};
      reactor_.post(ctx_.profile.access_credentials_check,
                    [this, key, uid = vmi->metadata.uid] { check_access_credentials(key, uid); });
    }
    event(*vmi, "Normal", "Created", "VirtualMachineInstance defined.");
  }
}

// The launcher refused to sync the VMI: Synchronized=False and a SyncFailed event, written
// only when the message changes (the event recorder counts the repeats).
void VirtHandler::report_sync_failure(const VirtualMachineInstance& vmi, const std::string& launcher_error) {
  event(vmi, "Warning", "SyncFailed", sync_vmi_failed(launcher_error));
  const auto wanted = sync_failed_condition(launcher_error);
  if (const auto* was = models::find_condition(vmi.status.conditions, "Synchronized");
      was && was->status == wanted.status && was->message == wanted.message)
    return;
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi.clone());
  next->metadata.resourceVersion.clear();
  models::set_condition(next->status.conditions, wanted, engine::now());
  ctx_.store.update(next, cause("Synchronized=False", launcher_error));
}

guest::GuestProvisioning VirtHandler::guest_provisioning(const VirtualMachineInstance& vmi) const {
  if (auto it = provisioned_.find(domain_name(vmi)); it != provisioned_.end() && it->second.uid == vmi.metadata.uid)
    return it->second.provisioning;
  return seed_of(ctx_.store, vmi);
}

void VirtHandler::check_access_credentials(const std::string& key, const std::string& uid) {
  auto watch = credential_watches_.find(key);
  if (watch == credential_watches_.end() || watch->second.uid != uid) return;
  const auto [ns, name] = controllers::split_key(key);
  const auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  const auto domain = vmi ? domain_name(*vmi) : std::string();
  // The watcher stops with its launcher: the VMI gone, final, or its domain no longer here.
  if (!vmi || vmi->metadata.uid != uid || vmi->is_final() || vmi->status.nodeName != node_ ||
      !hypervisor_->defined(domain)) {
    credential_watches_.erase(watch);
    return;
  }
  reactor_.post(ctx_.profile.access_credentials_check, [this, key, uid] { check_access_credentials(key, uid); });
  // Without a virt-handler process nobody carries the launcher's result to the VMI; the check
  // is made again once one runs (kvsim's virt-handler and virt-launcher are one component).
  if (!active_) return;
  auto& w = watch->second;
  const std::string vmi_ns = ns;  // (a structured binding cannot be captured before C++20 in clang 14)
  const SecretFilesReader read = [this, &vmi_ns](const std::string& secret) {
    return secret_files(ctx_.store, vmi_ns, secret);
  };
  // The mounted files changed (the kubelet's refresh of a Secret volume is not modelled: the
  // change is seen at the next check), or the 5-minute resync is due.
  if (auto seen = agent_secrets_fingerprint(vmi->spec, read); seen != w.seen) {
    w.seen = std::move(seen);
    w.reload = true;
  }
  if (engine::now() >= w.next_resync) {
    w.next_resync += ctx_.profile.access_credentials_resync;
    w.reload = true;
  }
  if (!w.reload) return;
  w.reload = false;
  // guest-ping: answered once the guest's agent runs (what AgentConnected reports).
  const auto* agent = models::find_condition(vmi->status.conditions, "AgentConnected");
  if (!agent || agent->status != "True") {
    w.reload = true;
    report_access_credentials(*vmi, false, "Guest agent is offline");
    return;
  }
  // guest-ssh-add-authorized-keys with reset: each listed user's authorized_keys becomes
  // exactly these keys; guest-set-user-password for each password.
  auto credentials = agent_credentials(vmi->spec, read);
  auto& guest = provisioned_[domain];
  if (guest.uid != uid) guest = {uid, seed_of(ctx_.store, *vmi)};
  for (auto& [user, keys] : credentials.authorized_keys) guest.provisioning.agent_authorized_keys[user] = std::move(keys);
  for (auto& [user, password] : credentials.passwords) guest.provisioning.agent_passwords[user] = std::move(password);
  report_access_credentials(*vmi, true, "");
}

// updateAccessCredentialConditions: the launcher's last result as the condition, replaced
// (with an event) only when its status or message changes. It has no reason.
void VirtHandler::report_access_credentials(const VirtualMachineInstance& vmi, bool succeeded,
                                            const std::string& message) {
  const std::string status = succeeded ? "True" : "False";
  if (const auto* was = models::find_condition(vmi.status.conditions, "AccessCredentialsSynchronized");
      was && was->status == status && was->message == message)
    return;
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi.clone());
  next->metadata.resourceVersion.clear();
  std::erase_if(next->status.conditions,
                [](const models::Condition& c) { return c.type == "AccessCredentialsSynchronized"; });
  models::set_condition(next->status.conditions, {"AccessCredentialsSynchronized", status, "", message}, engine::now());
  if (succeeded) event(vmi, "Normal", "AccessCredentialsSyncSuccess", message);
  else event(vmi, "Warning", "AccessCredentialsSyncFailed", message);
  ctx_.store.update(next, cause("condition AccessCredentialsSynchronized=" + status,
                                succeeded ? "the guest agent applied the access credentials" : message));
}

void VirtHandler::connect_agent_later(const std::string& key, const std::string& uid) {
  // The guest boots and starts qemu-guest-agent; virt-handler sees the agent channel connect.
  reactor_.post(ctx_.profile.guest_agent_connect, [this, key, uid] {
    const auto [ns, name] = controllers::split_key(key);
    auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
    if (!vmi || vmi->metadata.uid != uid || vmi->status.phase != "Running" || vmi->status.nodeName != node_) return;
    if (models::find_condition(vmi->status.conditions, "AgentConnected")) return;
    auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
    next->metadata.resourceVersion.clear();
    models::set_condition(next->status.conditions, {"AgentConnected", "True", "", ""}, engine::now());
    // What the agent reports joins the status (KubeVirt v1.5 virt-handler vm.go: guestOSInfo
    // from the domain's OS info once AgentConnected; pkg/network/setup/netstat.go: each
    // interface the agent sees by MAC gets its guest name and the source "domain, guest-agent",
    // Multus' source after it; an IP already known, the pod's, is kept).
    const auto os = guest::identify_guest(*vmi, ctx_.store);
    next->status.guestOSInfo = guest::guest_agent_info(os, guest::view_of(*vmi, engine::now()), 0)["os"];
    for (std::size_t i = 0; i < next->status.interfaces.size(); ++i) {
      auto& s = next->status.interfaces[i];
      const bool multus = s.infoSource.find("multus-status") != std::string::npos;
      s.interfaceName = "eth" + std::to_string(i);
      s.infoSource = multus ? "domain, guest-agent, multus-status" : "domain, guest-agent";
    }
    ctx_.store.update(next, cause("condition AgentConnected=True", "the guest's qemu-guest-agent connected"));
  });
}

std::string VirtHandler::guest_action(const VirtualMachineInstance& vmi, const std::string& action) {
  const auto domain = domain_name(vmi);
  vmi_of_domain_[domain] = controllers::key_of(vmi);
  if (!hypervisor_->defined(domain)) return "the VMI has no domain on " + node_;
  // Runs on virt-handler's own timeline, at the current sim time.
  reactor_.post(0, [this, domain, action] {
    auto& hv = *hypervisor_;
    if (action == "shutdown") hv.guest_poweroff(domain);
    else if (action == "crash") hv.guest_crash(domain);
    else if (action == "pause") hv.pause(domain);
    else if (action == "unpause") hv.resume(domain);
  });
  return {};
}

void VirtHandler::on_domain(const hypervisor::DomainEvent& e) {
  if (!active_) {
    // virt-launcher runs on; virt-handler reports what happened once it is back.
    deferred_.push_back(e);
    return;
  }
  auto it = vmi_of_domain_.find(e.domain);
  if (it == vmi_of_domain_.end()) return;
  const auto [ns, name] = controllers::split_key(it->second);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi || vmi->status.nodeName != node_) return;
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
  next->metadata.resourceVersion.clear();
  const double t = engine::now();
  const std::string from = vmi->status.phase;
  std::string why;
  if (e.state == DomainState::Paused || e.reason == StopReason::Unpaused) {
    if (vmi->status.phase != "Running") return;
    // The phase stays Running; the Paused condition says why (virtctl pause / unpause).
    if (e.state == DomainState::Paused) {
      models::set_condition(next->status.conditions, {"Paused", "True", "PausedByUser", "VMI was paused by user"}, t);
      event(*vmi, "Normal", "Paused", "VirtualMachineInstance paused");
    } else {
      std::erase_if(next->status.conditions, [](const models::Condition& c) { return c.type == "Paused"; });
      event(*vmi, "Normal", "Unpaused", "VirtualMachineInstance unpaused");
    }
    ctx_.store.update(next, cause(e.state == DomainState::Paused ? "condition Paused=True" : "condition Paused removed",
                                  e.state == DomainState::Paused ? "domain paused by user" : "domain resumed"));
    return;
  }
  if (e.state == DomainState::Running) {
    if (vmi->is_final()) return;
    next->status.phase = "Running";
    why = "domain running";
    // The pod network's address, as the domain reports it (masquerade: the pod IP).
    std::string pod_ip;
    std::map<std::string, std::string> pod_interfaces;  // VMI network -> interface in the launcher pod
    for (const auto& o : ctx_.store.owned_by(vmi->metadata.uid))
      if (o->kind == "Pod") {
        const auto& launcher = static_cast<const models::Pod&>(*o);
        pod_ip = launcher.status.podIP;
        pod_interfaces = network::pod_interfaces(*vmi, launcher);
      }
    next->status.interfaces.clear();
    for (const auto& itf : vmi->spec.domain.devices.interfaces) {
      models::VMINetworkInterfaceStatus s;
      s.name = itf.name;
      // The guest's name for the interface (eth0) comes from the guest agent only (netstat.go).
      s.infoSource = "domain";
      s.mac = fmt::format("02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", ctx_.rng.below(256), ctx_.rng.below(256),
                          ctx_.rng.below(256), ctx_.rng.below(256), ctx_.rng.below(256));
      s.queueCount = 1;
      bool on_pod = false;
      for (const auto& n : vmi->spec.networks)
        if (n.name == itf.name && n.pod) on_pod = true;
      if (on_pod && !pod_ip.empty()) {
        // Masquerade NATs the pod IP to the guest's 10.0.2.2; bridge hands the pod IP itself to the guest.
        s.ipAddress = pod_ip;
        s.ipAddresses = {pod_ip};
      }
      if (auto found = pod_interfaces.find(itf.name); found != pod_interfaces.end()) s.podInterfaceName = found->second;
      // Secondary networks are also reported from the pod's Multus network-status (no IP without IPAM).
      if (!on_pod && !s.podInterfaceName.empty()) s.infoSource = "domain, multus-status";
      next->status.interfaces.push_back(std::move(s));
    }
    // What the defined domain tells (updateVMIStatusFromDomain): its machine type and each
    // disk's target device.
    next->status.machine = models::Json{{"type", domain_machine_type(vmi->spec.domain.machine)}};
    next->status.volumeStatus = volume_status_with_targets(*vmi);
    models::set_condition(next->status.conditions, {"Ready", "True", "", ""}, t);
    event(*vmi, "Normal", "Started", "VirtualMachineInstance started.");
    if (guest_has_agent(*vmi, guest::boot_image(*vmi, ctx_.store))) connect_agent_later(it->second, vmi->metadata.uid);
    // startStrategy Paused: virt-launcher created the domain with VIR_DOMAIN_START_PAUSED and
    // counts it as paused by the user (manager.go), so the VMI shows Paused=True PausedByUser.
    if (vmi->spec.startStrategy == "Paused")
      reactor_.post(0, [this, domain = e.domain] { hypervisor_->pause(domain); });
  } else if (e.state == DomainState::Shutoff || e.state == DomainState::Crashed) {
    if (vmi->is_final()) return;
    if (!e.error.empty()) {
      // The hypervisor refused the domain (hybrid mode): virt-handler's sync error, in its words.
      models::set_condition(next->status.conditions, sync_failed_condition(e.error), t);
      event(*vmi, "Warning", "SyncFailed", sync_vmi_failed(e.error));
    }
    // FIDELITY.md §2: Shutdown -> Succeeded; Destroyed (grace expired, ACPI on) or Crashed -> Failed.
    next->status.phase = e.reason == StopReason::Shutdown ? "Succeeded" : "Failed";
    why = e.reason == StopReason::Shutdown ? "domain shut down" : e.reason == StopReason::Destroyed ? "domain destroyed" : "domain crashed";
    // Ready follows the launcher pod (virt-controller's syncReadyConditionFromPod), not the domain.
    std::erase_if(next->status.conditions, [](const models::Condition& c) { return c.type == "Paused"; });
    event(*vmi, "Normal", "Stopped", "The VirtualMachineInstance was shut down.");
  } else {
    return;
  }
  next->status.phaseTransitionTimestamps.push_back({next->status.phase, models::Timestamp{t}});
  ctx_.store.update(next, cause(fmt::format("phase {} -> {}", from, next->status.phase), why));
}

}  // namespace kvsim::sim::kubevirt
