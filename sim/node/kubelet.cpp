#include "sim/node/kubelet.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <cmath>

#include "models/codec/safe_yaml.hpp"
#include "models/duration.hpp"
#include "models/kubevirt.hpp"
#include "sim/engine/clock.hpp"
#include "sim/engine/node_cpu.hpp"
#include "sim/engine/platform.hpp"
#include "sim/node/image_pull.hpp"
#include "sim/node/network_status.hpp"
#include "sim/node/volumes.hpp"
#include "sim/node/node_object.hpp"

namespace kvsim::sim::node {

using models::Pod;

namespace {

// kubelet's GeneratePodReadyCondition (pkg/kubelet/status/generate.go): with every container
// ready, the pod is Ready only when each readiness gate's condition is True.
models::Condition ready_with_gates(const Pod& pod) {
  std::string unready;
  if (pod.spec.readinessGates.is_array()) {
    for (const auto& gate : pod.spec.readinessGates) {
      const std::string type = gate.is_object() ? gate.value("conditionType", std::string()) : std::string();
      const auto* c = models::find_condition(pod.status.conditions, type);
      std::string why;
      if (!c) why = fmt::format("corresponding condition of pod readiness gate \"{}\" does not exist.", type);
      else if (c->status != "True")
        why = fmt::format("the status of pod readiness gate \"{}\" is not \"True\", but {}", type, c->status);
      if (!why.empty()) unready += (unready.empty() ? "" : ", ") + why;
    }
  }
  if (!unready.empty()) return {"Ready", "False", "ReadinessGatesNotReady", unready};
  return {"Ready", "True", "", ""};
}

}  // namespace

Kubelet::Kubelet(controllers::Context& ctx, Leases& leases, std::string node,
                 std::shared_ptr<const models::Node> registration)
    : Component(ctx, "kubelet/" + node, node),
      leases_(leases),
      node_(std::move(node)),
      registration_(std::move(registration)) {}

void Kubelet::start() {
  Component::start();
  run_process();
}

void Kubelet::boot(double seconds, std::function<void()> then) {
  Component::start();
  booting_ = true;
  reactor_.post(seconds, [this, then = std::move(then)] {
    booting_ = false;
    run_process();
    if (then) then();
  });
}

void Kubelet::run_process() {
  if (!watch_id_)
    watch_id_ = watch({&Pod::kind_info(), {}, std::nullopt, node_}, [this](const api::WatchEvent& e) {
      if (e.type == api::EventType::Deleted) pods_.erase(controllers::key_of(*e.object));
      else enqueue(controllers::key_of(*e.object));
    });
  sync_node_status();
  // After a reboot the containers are gone: the kubelet starts them again.
  if (rebooted_) {
    rebooted_ = false;
    for (const auto& o : ctx_.store.on_node(Pod::kind_info(), node_)) restart_after_reboot(static_cast<const Pod&>(*o));
  }
  // A (re)started kubelet syncs every pod bound to its node.
  for (const auto& o : ctx_.store.on_node(Pod::kind_info(), node_)) enqueue(controllers::key_of(*o));
  renew_lease();
}

// Registers the Node when there is none (first start, or after `delete node`:
// a running kubelet does not re-register, a restarted one does), else posts
// the conditions of a healthy kubelet when they differ.
void Kubelet::sync_node_status() {
  const double t = engine::now();
  auto node = ctx_.store.get<models::Node>("", node_);
  if (!node) {
    if (!registration_) return;
    auto fresh = std::static_pointer_cast<models::Node>(registration_->clone());
    fresh->metadata.uid.clear();
    fresh->metadata.resourceVersion.clear();
    fresh->status.conditions.clear();
    post_healthy_conditions(fresh->status.conditions, t);
    ctx_.store.create(fresh, cause("registered", "kubelet started on " + node_));
    return;
  }
  auto next = std::static_pointer_cast<models::Node>(node->clone());
  if (!post_healthy_conditions(next->status.conditions, t)) return;
  const auto* before = models::find_condition(node->status.conditions, "Ready");
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause(fmt::format("Ready {} -> True", before ? before->status : "Unknown"),
                                "kubelet is posting ready status"));
}

void Kubelet::restart_after_reboot(const Pod& pod) {
  // Terminating pods are stopped by reconcile; pending ones start from scratch there.
  if (pod.metadata.being_deleted() || pod.status.phase != "Running") return;
  const auto key = controllers::key_of(pod);
  const double t = engine::now();
  auto next = std::static_pointer_cast<Pod>(pod.clone());
  next->metadata.resourceVersion.clear();
  models::set_condition(next->status.conditions, {"Ready", "False", "ContainersNotReady", "containers with unready status"}, t);
  models::set_condition(next->status.conditions,
                        {"ContainersReady", "False", "ContainersNotReady", "containers with unready status"}, t);
  if (pod.spec.restartPolicy == "Never") {
    // Nothing restarts: the pod failed with its node.
    next->status.phase = "Failed";
    for (auto& cs : next->status.containerStatuses) {
      cs.ready = false;
      cs.started = false;
      cs.state = {};
      cs.state.terminated = models::ContainerStateTerminated{
          137, "ContainerStatusUnknown", "The container could not be located when the pod was terminated",
          std::nullopt, models::Timestamp{t}};
    }
    pods_[key] = Local{Stage::Running, pod.metadata.uid};
    ctx_.store.update(next, cause("phase Running -> Failed", "node rebooted; restartPolicy Never"));
    return;
  }
  for (auto& cs : next->status.containerStatuses) {
    if (cs.state.running) ++cs.restartCount;
    cs.ready = false;
    cs.started = false;
    cs.state = {};
    cs.state.waiting = models::ContainerStateWaiting{"ContainerCreating", ""};
  }
  pods_[key] = Local{Stage::Pulling, pod.metadata.uid};
  ctx_.store.update(next, cause("containers restarting", "node rebooted: its containers are gone"));
  after_pulls(key, pod.metadata.uid);  // images survive on disk
}

void Kubelet::lost() {
  lose_work();
  booting_ = false;
  rebooted_ = true;
  pods_.clear();
  pull_queue_.clear();
  waiting_images_.clear();
  pull_backoff_.clear();  // kubelet's back-off lives in its memory
  pulling_ = false;
}

void Kubelet::renew_lease() {
  leases_.renew(node_, engine::now());
  reactor_.post(ctx_.profile.node_lease_interval, [this] { renew_lease(); });
}

double Kubelet::image_bytes(const std::string& image) const {
  const auto& p = ctx_.profile;
  if (auto it = p.image_size_mb.find(image); it != p.image_size_mb.end()) return it->second * 1e6;
  if (image.find("virt-launcher") != std::string::npos) return p.launcher_image_size_mb * 1e6;
  return p.default_image_size_mb * 1e6;
}

std::string Kubelet::allocate_ip() {
  auto node = ctx_.store.get<models::Node>("", node_);
  const std::string cidr = node ? node->spec.podCIDR : std::string();
  unsigned a = 10, b = 128, c = 0, d = 0, bits = 23;
  std::sscanf(cidr.c_str(), "%u.%u.%u.%u/%u", &a, &b, &c, &d, &bits);
  const std::uint32_t base = (a << 24) | (b << 16) | (c << 8) | d;
  const std::uint32_t size = bits >= 32 ? 1 : (1u << (32 - bits));
  // .0 is the network, .1 the gateway, .2 ovn-k8s-mp0; the last is the broadcast address.
  if (next_ip_ >= size - 1) next_ip_ = kFirstPodAddress;
  const std::uint32_t ip = base + next_ip_++;
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

void Kubelet::reconcile(const std::string& key) {
  if (booting_) return;  // the pods are all looked at once the process starts
  const auto [ns, name] = controllers::split_key(key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod || pod->spec.nodeName != node_) {
    pods_.erase(key);
    return;
  }
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.uid != pod->metadata.uid) {
    pods_.erase(it);
    it = pods_.end();
  }
  if (pod->metadata.being_deleted()) {
    if (it == pods_.end() || it->second.stage != Stage::Stopping) stop(*pod);
    return;
  }
  if (it != pods_.end()) {
    // Running: a readiness gate's condition (set by another controller) may have changed.
    if (it->second.stage == Stage::Running && pod->status.phase == "Running") {
      const auto* containers = models::find_condition(pod->status.conditions, "ContainersReady");
      const auto* ready = models::find_condition(pod->status.conditions, "Ready");
      const auto want = ready_with_gates(*pod);
      // Only the gates' part of Ready is decided here: a probe's verdict (Ready False for
      // another reason) is left alone, and pods without gates are never touched.
      const bool gated = pod->spec.readinessGates.is_array() && !pod->spec.readinessGates.empty();
      const bool gate_verdict = ready && (ready->status == "True" || ready->reason == "ReadinessGatesNotReady");
      if (gated && gate_verdict && containers && containers->status == "True" &&
          (ready->status != want.status || ready->reason != want.reason || ready->message != want.message)) {
        auto next = std::static_pointer_cast<Pod>(pod->clone());
        models::set_condition(next->status.conditions, want, engine::now());
        next->metadata.resourceVersion.clear();
        ctx_.store.update(next, cause("Ready " + ready->status + " -> " + want.status,
                                      want.reason.empty() ? "readiness gates satisfied" : want.message));
      }
    }
    return;  // in progress or running
  }
  if (pod->status.phase == "Running" || pod->status.phase == "Succeeded" || pod->status.phase == "Failed") {
    // Restarted kubelet: the containers kept running (the runtime survived).
    pods_[key] = Local{Stage::Running, pod->metadata.uid};
    return;
  }
  begin(*pod);
}

void Kubelet::begin(const Pod& pod) {
  const auto key = controllers::key_of(pod);
  pods_[key] = Local{Stage::Pulling, pod.metadata.uid};
  auto next = std::static_pointer_cast<Pod>(pod.clone());
  next->status.phase = "Pending";
  next->status.hostIP = ctx_.store.get<models::Node>("", node_) ? ctx_.store.get<models::Node>("", node_)->status.addresses.empty()
                            ? std::string()
                            : ctx_.store.get<models::Node>("", node_)->status.addresses.front().address
                      : std::string();
  next->status.startTime = models::Timestamp{engine::now()};
  // Waiting to be created; while init containers run, kubectl shows Init:N/M, then PodInitializing.
  const bool has_inits = !pod.spec.initContainers.empty();
  auto waiting = [](const std::vector<models::Container>& containers, const char* reason) {
    std::vector<models::ContainerStatus> out;
    for (const auto& c : containers) {
      models::ContainerStatus cs;
      cs.name = c.name;
      cs.image = c.image;
      cs.state.waiting = models::ContainerStateWaiting{reason, ""};
      out.push_back(std::move(cs));
    }
    return out;
  };
  next->status.containerStatuses = waiting(pod.spec.containers, has_inits ? "PodInitializing" : "ContainerCreating");
  next->status.initContainerStatuses = waiting(pod.spec.initContainers, "PodInitializing");
  std::string pending_inits;
  for (const auto& c : pod.spec.initContainers) pending_inits += (pending_inits.empty() ? "" : " ") + c.name;
  const double t = engine::now();
  if (!has_inits)
    models::set_condition(next->status.conditions, {"Initialized", "True", "", ""}, t);
  else
    models::set_condition(next->status.conditions, {"Initialized", "False", "ContainersNotInitialized",
                                                    "containers with incomplete status: [" + pending_inits + "]"}, t);
  models::set_condition(next->status.conditions, {"Ready", "False", "ContainersNotReady", "containers with unready status"}, t);
  models::set_condition(next->status.conditions, {"ContainersReady", "False", "ContainersNotReady", "containers with unready status"}, t);
  ctx_.store.update(next, cause("ContainerCreating", "pod bound to " + node_));
  // Volumes come first (syncPod's WaitForAttachAndMount), then the images (at once when no claim waits).
  wait_for_volumes(ctx_, reactor_, component_name(), node_, pod, [this, key, uid = pod.metadata.uid,
                                                                   spec = pod.spec] {
    if (auto it = pods_.find(key); it == pods_.end() || it->second.uid != uid) return;
    std::set<std::string> missing;
    for (const auto& c : spec.containers)
      if (!images_.contains(c.image)) missing.insert(c.image);
    for (const auto& c : spec.initContainers)
      if (!images_.contains(c.image)) missing.insert(c.image);
    if (missing.empty()) {
      after_pulls(key, uid);
      return;
    }
    waiting_images_[key] = missing;
    pulled_for_[uid] = missing;
    for (const auto& image : missing) pull_queue_.push_back({image, key, engine::now()});
    pull_next();
  });
}

// Image pulls are serialized per node (kubelet's serializeImagePulls default).
void Kubelet::pull_next() {
  while (!pulling_ && !pull_queue_.empty()) {
    // Copies, not a structured binding: the lambdas below capture them (clang 14 cannot capture a binding).
    const std::string image = pull_queue_.front().image, key = pull_queue_.front().key;
    const double queued = pull_queue_.front().queued;
    pull_queue_.pop_front();
    if (images_.contains(image)) {
      // Pulled meanwhile for another pod. The pod may already have all its images (its last one
      // came with that pull): it must not start a second time.
      auto waits = waiting_images_.find(key);
      if (waits == waiting_images_.end()) continue;
      auto& left = waits->second;
      left.erase(image);
      if (left.empty()) {
        waiting_images_.erase(waits);
        const auto uid = pods_.count(key) ? pods_[key].uid : std::string();
        after_pulls(key, uid);
      }
      continue;
    }
    pulling_ = true;
    const auto [ns, name] = controllers::split_key(key);
    if (auto pod = ctx_.store.get<Pod>(ns, name))
      event(*pod, "Normal", "Pulling", fmt::format("Pulling image \"{}\"", image));
    const double started = engine::now();
    if (auto failure = pull_failure(ctx_.profile, image, registry_reachable())) {
      // The registry refuses (or never answers): no bytes move.
      reactor_.post(failure->after, [this, image, key, error = failure->error] {
        pulling_ = false;
        pull_failed(image, key, error);
        pull_next();
      });
      return;
    }
    engine::transfer(engine::kRegistryHost, node_, image_bytes(image), [this, image, key, started, queued](bool ok) {
      reactor_.post(0, [this, image, key, started, queued, ok] {
        pulling_ = false;
        const auto [pod_ns, pod_name] = controllers::split_key(key);
        auto pod = ctx_.store.get<Pod>(pod_ns, pod_name);
        if (ok) {
          images_.insert(image);
          // kubelet's image manager, durations truncated to the millisecond (image_manager.go).
          if (pod) pulled_event(*pod, image, engine::now() - started, engine::now() - queued);
        }
        // Other pods waiting on the same image are satisfied too (even in back-off: their
        // next sync finds the image present).
        for (auto it = waiting_images_.begin(); it != waiting_images_.end();) {
          if (ok && it->second.contains(image)) {
            const auto [wns, wname] = controllers::split_key(it->first);
            auto waiting = ctx_.store.get<Pod>(wns, wname);
            const char* reason = waiting && !waiting->spec.initContainers.empty() ? "PodInitializing" : "ContainerCreating";
            set_image_waiting(it->first, image, reason, "");
            // Its own queued pull finds every layer present: at once, after its wait (UNCONFIRMED:
            // the runtime's check of present layers is taken as instant).
            if (waiting && it->first != key) {
              double since = engine::now();
              for (const auto& r : pull_queue_)
                if (r.image == image && r.key == it->first) since = r.queued;
              event(*waiting, "Normal", "Pulling", fmt::format("Pulling image \"{}\"", image));
              pulled_event(*waiting, image, 0, engine::now() - since);
            }
          }
          it->second.erase(image);
          if (it->second.empty()) {
            const auto k = it->first;
            it = waiting_images_.erase(it);
            const auto uid = pods_.count(k) ? pods_[k].uid : std::string();
            after_pulls(k, uid);
          } else {
            ++it;
          }
        }
        pull_next();
      });
    });
  }
}

void Kubelet::pull_failed(const std::string& image, const std::string& key, const std::string& error) {
  const auto [ns, name] = controllers::split_key(key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  auto it = pods_.find(key);
  if (!pod || pod->metadata.being_deleted() || it == pods_.end() || it->second.uid != pod->metadata.uid ||
      it->second.stage != Stage::Pulling)
    return;
  const std::string uid = pod->metadata.uid;
  event(*pod, "Warning", "Failed", fmt::format("Failed to pull image \"{}\": {}", image, error));
  event(*pod, "Warning", "Failed", "Error: ErrImagePull");
  auto& backoff = pull_backoff_[uid + "_" + image];
  backoff = next_pull_backoff(ctx_.profile, backoff);
  // Init containers run in turn: those before the first one that needs this image, whose
  // images are here, have run and completed by now (kubectl then shows Init:ErrImagePull).
  {
    auto next = std::static_pointer_cast<Pod>(pod->clone());
    bool changed = false;
    const double t = engine::now();
    for (auto& cs : next->status.initContainerStatuses) {
      if (cs.image == image || !images_.contains(cs.image)) break;
      if (!cs.state.waiting) continue;
      cs.state = {};
      cs.state.terminated = models::ContainerStateTerminated{0, "Completed", "", models::Timestamp{t}, models::Timestamp{t}};
      changed = true;
    }
    if (changed) {
      next->metadata.resourceVersion.clear();
      ctx_.store.update(next, cause("init containers completed", "their images are present"));
    }
  }
  set_image_waiting(key, image, "ErrImagePull", error);
  const double failed_at = engine::now();
  reactor_.post(ctx_.profile.image_pull_backoff_initial,
                [this, key, uid, image, failed_at] { retry_pull(key, uid, image, failed_at); });
}

void Kubelet::retry_pull(const std::string& key, const std::string& uid, const std::string& image, double failed_at) {
  auto it = pods_.find(key);
  auto waits = waiting_images_.find(key);
  if (it == pods_.end() || it->second.uid != uid || it->second.stage != Stage::Pulling ||
      waits == waiting_images_.end() || !waits->second.contains(image))
    return;
  const auto [ns, name] = controllers::split_key(key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod || pod->metadata.being_deleted()) return;
  const double backoff = pull_backoff_[uid + "_" + image];
  if (engine::now() - failed_at + 1e-6 < backoff) {
    // IsInBackOffSinceUpdate: no pull; the container waits in ImagePullBackOff.
    const std::string message = fmt::format("Back-off pulling image \"{}\"", image);
    event(*pod, "Normal", "BackOff", message);
    event(*pod, "Warning", "Failed", "Error: ImagePullBackOff");
    set_image_waiting(key, image, "ImagePullBackOff", message);
    reactor_.post(ctx_.profile.image_pull_backoff_initial,
                  [this, key, uid, image, failed_at] { retry_pull(key, uid, image, failed_at); });
    return;
  }
  pull_queue_.push_back({image, key, engine::now()});
  pull_next();
}

void Kubelet::set_image_waiting(const std::string& key, const std::string& image, const std::string& reason,
                                const std::string& message) {
  const auto [ns, name] = controllers::split_key(key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod) return;
  auto next = std::static_pointer_cast<Pod>(pod->clone());
  bool changed = false;
  auto mark = [&](std::vector<models::ContainerStatus>& statuses) {
    for (auto& cs : statuses) {
      if (cs.image != image || !cs.state.waiting) continue;
      if (cs.state.waiting->reason == reason && cs.state.waiting->message == message) continue;
      cs.state.waiting = models::ContainerStateWaiting{reason, message};
      changed = true;
    }
  };
  mark(next->status.initContainerStatuses);
  mark(next->status.containerStatuses);
  if (!changed) return;
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause(reason, "image " + image));
}

void Kubelet::after_pulls(const std::string& key, const std::string& uid) {
  auto it = pods_.find(key);
  if (it == pods_.end() || it->second.uid != uid) return;
  it->second.stage = Stage::Starting;
  // CNI ADD (the sandbox's network), then the containers one after the other.
  reactor_.post(ctx_.profile.pod_network_setup, [this, key, uid] { start_container(key, uid, 0); });
}

// The stored pod `key` while this kubelet is still starting that same pod (`uid`), else null: a
// pod deleted, replaced or already started ends the start steps still queued for it.
std::shared_ptr<const Pod> Kubelet::pod_still_starting(const std::string& key, const std::string& uid) const {
  auto it = pods_.find(key);
  if (it == pods_.end() || it->second.uid != uid || it->second.stage != Stage::Starting) return nullptr;
  const auto [ns, name] = controllers::split_key(key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod || pod->metadata.being_deleted()) return nullptr;
  return pod;
}

void Kubelet::start_container(const std::string& key, const std::string& uid, std::size_t index) {
  auto pod = pod_still_starting(key, uid);
  if (!pod) return;
  const std::size_t inits = pod->spec.initContainers.size();
  // The last init container completed. A pod restarted after a reboot (still Running) re-runs
  // them too, but its status already says they completed.
  if (inits > 0 && index == inits && pod->status.phase != "Running") init_containers_done(*pod);
  if (index >= inits + pod->spec.containers.size()) {
    containers_started(key, uid);
    return;
  }
  engine::run_on_cpu(node_, ctx_.profile.container_start, [this, key, uid, index] {
    reactor_.post(0, [this, key, uid, index] {
      container_events(key, uid, index);
      start_container(key, uid, index + 1);
    });
  });
}

// kubelet's image manager (image_manager.go), its durations truncated to the millisecond.
void Kubelet::pulled_event(const Pod& pod, const std::string& image, double pulling, double waiting) {
  auto ms = [](double seconds) { return std::floor(seconds * 1000) / 1000; };
  event(pod, "Normal", "Pulled",
        fmt::format("Successfully pulled image \"{}\" in {} ({} including waiting). Image size: {} bytes.", image,
                    models::go_duration_string(ms(pulling)), models::go_duration_string(ms(waiting)),
                    static_cast<std::int64_t>(image_bytes(image))));
}

// kubelet's startContainer, per container: EnsureImageExists (an image this pod did not pull
// was already there), then "Created container: NAME" and "Started container NAME"
// (kuberuntime_container.go, 1.32 wording).
void Kubelet::container_events(const std::string& key, const std::string& uid, std::size_t index) {
  auto pod = pod_still_starting(key, uid);
  if (!pod) return;
  const std::size_t inits = pod->spec.initContainers.size();
  if (index >= inits + pod->spec.containers.size()) return;
  const auto& c = index < inits ? pod->spec.initContainers[index] : pod->spec.containers[index - inits];
  const auto pulled = pulled_for_.find(uid);
  if (pulled == pulled_for_.end() || !pulled->second.contains(c.image))
    event(*pod, "Normal", "Pulled", fmt::format("Container image \"{}\" already present on machine", c.image));
  event(*pod, "Normal", "Created", "Created container: " + c.name);
  event(*pod, "Normal", "Started", "Started container " + c.name);
}

// The init containers ran to completion: the pod is Initialized and its containers start.
void Kubelet::init_containers_done(const Pod& pod) {
  auto next = std::static_pointer_cast<Pod>(pod.clone());
  const double t = engine::now();
  for (auto& cs : next->status.initContainerStatuses) {
    cs.state = {};
    cs.state.terminated = models::ContainerStateTerminated{0, "Completed", "", models::Timestamp{t}, models::Timestamp{t}};
    cs.ready = true;
  }
  models::set_condition(next->status.conditions, {"Initialized", "True", "", ""}, t);
  ctx_.store.update(next, cause("PodInitializing", "init containers completed"));
}

void Kubelet::containers_started(const std::string& key, const std::string& uid) {
  auto pod = pod_still_starting(key, uid);
  if (!pod) return;
  pods_.at(key).stage = Stage::Running;
  auto next = std::static_pointer_cast<Pod>(pod->clone());
  const double t = engine::now();
  next->status.phase = "Running";
  next->status.podIP = allocate_ip();
  next->status.podIPs = {{next->status.podIP}};
  // Multus, called by the runtime as the sandbox is set up, records what each network gave the pod.
  const auto status = network_status(*next, next->status.podIP, [this] {
    // A kernel-assigned veth address: random, locally administered, unicast.
    // (drawn one by one: the order of a call's arguments is unspecified)
    std::array<std::uint64_t, 6> b{};
    for (auto& byte : b) byte = ctx_.rng.below(256);
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", (b[0] & 0xfe) | 0x02, b[1], b[2], b[3], b[4], b[5]);
  }, vf_allocator(*next));
  if (!status.empty()) next->metadata.annotations[kNetworkStatusAnnotation] = status;
  for (auto& cs : next->status.containerStatuses) {
    cs.state = {};
    cs.state.running = models::ContainerStateRunning{models::Timestamp{t}};
    cs.ready = true;
    cs.started = true;
  }
  models::set_condition(next->status.conditions, ready_with_gates(*next), t);
  models::set_condition(next->status.conditions, {"ContainersReady", "True", "", ""}, t);
  const std::string change = pod->status.phase == "Running" ? "containers restarted" : "phase Pending -> Running";
  ctx_.store.update(next, cause(change, "containers started, IP " + next->status.podIP));
  pulled_for_.erase(uid);
}

namespace {

// A NAD whose CNI config runs the sriov plugin (alone, or first of a plugin list). Other NADs may
// name a resource too (a bridge marker's) without handing the pod a device.
bool is_sriov_config(const std::string& config) {
  models::JsonError error;  // parsed with the input caps: the config is the user's text
  const auto parsed = models::parse_json_value(config, error);
  if (!parsed || !parsed->is_object()) return false;
  const auto& c = *parsed;
  const auto& plugin = c.contains("plugins") && c["plugins"].is_array() && !c["plugins"].empty() ? c["plugins"][0] : c;
  return plugin.is_object() && plugin.value("type", models::Json()).is_string() && plugin["type"] == "sriov";
}

}  // namespace

// The device manager's pick for a pod's SR-IOV networks: the node's lowest-numbered VF that no
// live pod holds (a pod that ended gave its devices back), one per network whose NAD names a
// device-plugin resource and runs the sriov CNI plugin.
DeviceFor Kubelet::vf_allocator(const Pod& pod) const {
  // The node's pods are read only for a pod that asks for a VF: most pods never do.
  auto taken = std::make_shared<std::optional<std::set<std::string>>>();
  return [this, taken, uid = pod.metadata.uid](const std::string& ns, const std::string& name) -> std::string {
    const auto nad = ctx_.store.get<models::NetworkAttachmentDefinition>(ns, name);
    if (!nad || !nad->metadata.annotations.contains(models::kResourceNameAnnotation) || !is_sriov_config(nad->spec.config))
      return {};
    if (!*taken) {
      taken->emplace();
      for (const auto& o : ctx_.store.on_node(Pod::kind_info(), node_)) {
        const auto& other = static_cast<const Pod&>(*o);
        if (other.metadata.uid == uid || other.status.phase == "Succeeded" || other.status.phase == "Failed") continue;
        for (auto& address : device_pci_addresses(other)) (*taken)->insert(std::move(address));
      }
    }
    for (int i = 0;; ++i)
      if (auto address = vf_pci_address(i); (*taken)->insert(address).second) return address;
  };
}

void Kubelet::stop(const Pod& pod) {
  const auto key = controllers::key_of(pod);
  pods_[key] = Local{Stage::Stopping, pod.metadata.uid};
  waiting_images_.erase(key);
  std::erase_if(pull_backoff_, [&](const auto& b) { return b.first.starts_with(pod.metadata.uid + "_"); });
  const double grace = static_cast<double>(pod.metadata.deletionGracePeriodSeconds.value_or(30));
  const double delay = std::min(grace, ctx_.profile.container_stop);
  for (const auto& c : pod.spec.containers)
    event(pod, "Normal", "Killing", "Stopping container " + c.name);
  const std::string uid = pod.metadata.uid;
  reactor_.post(delay, [this, key, uid] {
    const auto [ns, name] = controllers::split_key(key);
    auto current = ctx_.store.get<Pod>(ns, name);
    if (!current || current->metadata.uid != uid) return;
    // The kubelet confirms the stop by deleting with grace 0.
    ctx_.store.remove(Pod::kind_info(), ns, name, cause("deleted", "containers stopped on " + node_),
                      api::DeleteOptions{0, "Background"});
    pods_.erase(key);
  });
}

void Kubelet::containers_exited(const std::string& ns, const std::string& name) {
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod || pod->spec.nodeName != node_ || pod->status.phase != "Running" || pod->metadata.being_deleted()) return;
  auto next = std::static_pointer_cast<Pod>(pod->clone());
  const double t = engine::now();
  next->status.phase = "Succeeded";
  for (auto& cs : next->status.containerStatuses) {
    const auto started = cs.state.running ? cs.state.running->startedAt : std::nullopt;
    cs.state = {};
    cs.state.terminated = models::ContainerStateTerminated{0, "Completed", "", started, models::Timestamp{t}};
    cs.ready = false;
    cs.started = false;
  }
  // generateAPIPodStatus: a pod whose containers all ran to completion is not ready, PodCompleted.
  models::set_condition(next->status.conditions, {"Ready", "False", "PodCompleted", ""}, t);
  models::set_condition(next->status.conditions, {"ContainersReady", "False", "PodCompleted", ""}, t);
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause("phase Running -> Succeeded", "all containers exited 0"));
}

}  // namespace kvsim::sim::node
