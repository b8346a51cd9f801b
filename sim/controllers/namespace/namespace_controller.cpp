#include "sim/controllers/namespace/namespace_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/registry.hpp"

namespace kvsim::sim::controllers::ns {

using models::Namespace;

namespace {

// How long until the pods left should be gone: upstream requeues the
// namespace after the longest termination grace period among them.
double graceful_estimate(const api::Store& store, const std::string& ns) {
  std::int64_t estimate = 0;
  for (const auto& o : store.list(models::Pod::kind_info(), ns)) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    if (pod.status.phase == "Succeeded" || pod.status.phase == "Failed") continue;
    estimate = std::max(estimate, pod.spec.terminationGracePeriodSeconds.value_or(30));
  }
  return static_cast<double>(estimate);
}

}  // namespace

NamespaceController::NamespaceController(Context& ctx, std::string host)
    : Component(ctx, "namespace-controller", std::move(host)) {}

void NamespaceController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&Namespace::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted && e.object->metadata.being_deleted()) enqueue(e.object->metadata.name);
  });
  for (const auto& o : ctx_.store.list(Namespace::kind_info()))
    if (o->metadata.being_deleted()) enqueue(o->metadata.name);
}

void NamespaceController::reconcile(const std::string& name) {
  auto ns = ctx_.store.get<Namespace>("", name);
  if (!ns || !ns->metadata.being_deleted()) return;
  std::size_t remaining = 0;
  for (const auto* kind : models::all_kinds()) {
    if (!kind->namespaced || !kind->not_modelled.empty() || kind->kind == "Namespace") continue;
    for (const auto& o : ctx_.store.list(*kind, name))
      if (!o->metadata.being_deleted())
        ctx_.store.remove(*kind, name, o->metadata.name, cause("deleting", "namespace " + name + " is being deleted"));
    remaining += ctx_.store.list(*kind, name).size();
  }
  if (remaining > 0) {
    // Deletions are under way (pods stop gracefully); look again later.
    enqueue(name, std::max(1.0, graceful_estimate(ctx_.store, name)));
    return;
  }
  auto next = std::static_pointer_cast<Namespace>(ns->clone());
  next->spec["finalizers"] = models::Json::array();
  ctx_.store.update(next, cause("deleted", "namespace " + name + " is empty: finalizer kubernetes removed"));
}

}  // namespace kvsim::sim::controllers::ns
