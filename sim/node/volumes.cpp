#include "sim/node/volumes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "models/core.hpp"
#include "models/storage.hpp"
#include "sim/controllers/attachdetach/attachment_name.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::node {

namespace {

// podAttachAndMountTimeout: how long one kubelet sync waits before reporting.
constexpr double kAttachAndMountTimeout = 123;
// A failed MountVolume.SetUp is retried with exponential backoff
// (nestedpendingoperations: 500 ms doubling up to 2m2s); each failure is an event.
constexpr double kSetupRetryInitial = 0.5;
constexpr double kSetupRetryMax = 122;

std::string bracketed(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return "[" + out + "]";
}

}  // namespace

std::string VolumeWait::timeout_message() const {
  return fmt::format("Unable to attach or mount volumes: unmounted volumes={}, unattached volumes={}, failed to "
                     "process volumes={}: timed out waiting for the condition",
                     bracketed(unmounted), bracketed(unattached), bracketed(failed));
}

VolumeWait pending_volumes(const api::Store& store, const models::Pod& pod, const std::string& node) {
  VolumeWait wait;
  for (const auto& v : pod.spec.volumes) {
    // A ConfigMap or Secret volume mounts once its object exists (unless marked optional).
    if (v.configMap.is_object() || v.secret.is_object()) {
      const bool is_secret = v.secret.is_object();
      const auto name = is_secret ? v.secret.value("secretName", std::string()) : v.configMap.value("name", std::string());
      const bool optional = (is_secret ? v.secret : v.configMap).value("optional", false);
      const bool exists = is_secret ? store.get<models::Secret>(pod.metadata.namespace_, name) != nullptr
                                    : store.get<models::ConfigMap>(pod.metadata.namespace_, name) != nullptr;
      if (!optional && !exists) {
        wait.unmounted.push_back(v.name);
        wait.failed.push_back(v.name);
        wait.setup_failures.push_back(fmt::format("MountVolume.SetUp failed for volume \"{}\" : {} \"{}\" not found",
                                                  v.name, is_secret ? "secret" : "configmap", name));
      }
      continue;
    }
    if (!v.persistentVolumeClaim) continue;
    auto pvc = store.get<models::PersistentVolumeClaim>(pod.metadata.namespace_, v.persistentVolumeClaim->claimName);
    std::shared_ptr<const models::PersistentVolume> pv;
    if (pvc && !pvc->metadata.being_deleted() && pvc->status.phase == "Bound" && !pvc->spec.volumeName.empty())
      pv = store.get<models::PersistentVolume>("", pvc->spec.volumeName);
    if (!pv) {
      wait.unmounted.push_back(v.name);
      wait.failed.push_back(v.name);
      continue;
    }
    if (!pv->spec.csi.is_object()) continue;  // hostPath, local, NFS: nothing to attach
    const auto driver = pv->spec.csi.value("driver", "");
    auto va = store.get<models::VolumeAttachment>(
        "", controllers::attachdetach::attachment_name(pv->metadata.name, driver, node));
    if (va && va->status.attached) continue;
    wait.unmounted.push_back(v.name);
    wait.unattached.push_back(v.name);
  }
  return wait;
}

namespace {

struct Waiter {
  controllers::Context& ctx;
  engine::Reactor& reactor;
  std::string component, node, ns, name, uid;
  std::function<void()> ready;
  double report_at = 0;
  double setup_retry_at = 0, setup_backoff = 0;  // when SetUp is next tried, and the wait after that
};

void poll(const std::shared_ptr<Waiter>& w) {
  auto pod = w->ctx.store.get<models::Pod>(w->ns, w->name);
  if (!pod || pod->metadata.uid != w->uid || pod->metadata.being_deleted() || pod->spec.nodeName != w->node) return;
  const auto wait = pending_volumes(w->ctx.store, *pod, w->node);
  if (wait.ready()) {
    w->ready();
    return;
  }
  if (!wait.setup_failures.empty() && engine::now() >= w->setup_retry_at) {
    for (const auto& message : wait.setup_failures)
      w->ctx.store.record_event(*pod, "Warning", "FailedMount", message, w->component);
    w->setup_backoff = w->setup_backoff == 0 ? kSetupRetryInitial : std::min(2 * w->setup_backoff, kSetupRetryMax);
    w->setup_retry_at = engine::now() + w->setup_backoff;
  }
  if (engine::now() >= w->report_at) {
    w->ctx.store.record_event(*pod, "Warning", "FailedMount", wait.timeout_message(), w->component);
    w->report_at = engine::now() + kAttachAndMountTimeout;
  }
  w->reactor.post(w->ctx.profile.volume_mount_poll, [w] { poll(w); });
}

}  // namespace

void wait_for_volumes(controllers::Context& ctx, engine::Reactor& reactor, const std::string& component,
                      const std::string& node, const models::Pod& pod, std::function<void()> ready) {
  if (pending_volumes(ctx.store, pod, node).ready()) {
    ready();
    return;
  }
  auto w = std::make_shared<Waiter>(Waiter{ctx, reactor, component, node, pod.metadata.namespace_, pod.metadata.name,
                                           pod.metadata.uid, std::move(ready), engine::now() + kAttachAndMountTimeout});
  reactor.post(ctx.profile.volume_mount_poll, [w] { poll(w); });
}

}  // namespace kvsim::sim::node
