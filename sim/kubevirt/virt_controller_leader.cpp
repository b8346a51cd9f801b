#include "sim/kubevirt/virt_controller_leader.hpp"

#include <cmath>
#include <fmt/format.h>

#include "sim/engine/clock.hpp"
#include "sim/engine/platform.hpp"

namespace kvsim::sim::kubevirt {

namespace {
constexpr const char* kNamespace = "openshift-cnv";
constexpr const char* kLeaseKey = "lease";

const models::LabelSelector& virt_controller_pods() {
  static const models::LabelSelector s{{{"kubevirt.io", "virt-controller"}}, {}};
  return s;
}
}  // namespace

VirtControllerLeader::VirtControllerLeader(controllers::Context& ctx, std::string host)
    : Component(ctx, "virt-controller-leader-election", std::move(host)) {}

void VirtControllerLeader::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&models::Pod::kind_info(), kNamespace, virt_controller_pods(), {}},
          [this](const api::WatchEvent&) { enqueue(kLeaseKey); });
  }
  enqueue(kLeaseKey);
}

bool VirtControllerLeader::alive(const models::Pod& pod) const {
  if (pod.status.phase != "Running" || pod.metadata.being_deleted() || pod.spec.nodeName.empty()) return false;
  const auto* ready = models::find_condition(pod.status.conditions, "Ready");
  return ready && ready->status == "True" && engine::host_is_on(pod.spec.nodeName);
}

bool VirtControllerLeader::leading() const {
  if (holder_.empty()) return installed_;
  auto pod = ctx_.store.get<models::Pod>(kNamespace, holder_);
  return pod && alive(*pod);
}

void VirtControllerLeader::reconcile(const std::string&) {
  const double now = engine::now();
  const auto& p = ctx_.profile;
  std::shared_ptr<const models::Pod> candidate;
  bool holder_alive = false;
  for (const auto& o : ctx_.store.list(models::Pod::kind_info(), kNamespace, &virt_controller_pods())) {
    auto pod = std::static_pointer_cast<const models::Pod>(o);
    if (pod->metadata.being_deleted()) installed_ = false;
    if (!alive(*pod)) continue;
    if (pod->metadata.name == holder_) holder_alive = true;
    if (!candidate) candidate = pod;
  }
  if (!holder_.empty()) {
    if (holder_alive) {
      renewed_ = now;  // the holder renews every retry period
    } else {
      // Its process is gone; the lease stays taken until it expires.
      holder_.clear();
    }
  }
  if (holder_.empty() && candidate && (!std::isfinite(renewed_) || now >= renewed_ + p.virt_controller_lease_duration - 1e-9)) {
    holder_ = candidate->metadata.name;
    installed_ = false;
    renewed_ = now;
    event(*candidate, "Normal", "LeaderElection", holder_ + " became leader");
    for (const auto& fn : acquired_) fn();
  }
  // Holder and standbys all try again every retry period.
  requeue_after(kLeaseKey, p.virt_controller_lease_retry);
}

}  // namespace kvsim::sim::kubevirt
