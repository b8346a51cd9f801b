#include "sim/controllers/gc/garbage_collector.hpp"

namespace kvsim::sim::controllers::gc {

GarbageCollector::GarbageCollector(Context& ctx, std::string host)
    : Component(ctx, "garbage-collector", std::move(host)) {}

void GarbageCollector::start() { Component::start(); }

void GarbageCollector::observe(const api::WatchEvent& e) {
  if (!reactor_.running()) return;
  const auto& o = *e.object;
  const std::string uid = o.metadata.uid;
  if (e.type == api::EventType::Deleted) {
    const std::string ref = api::describe_ref(o);
    reactor_.post(ctx_.profile.watch_latency, [this, uid, ref] { collect_dependents_of(uid, ref); });
    // A dependent gone may release a foreground owner.
    for (const auto& owner : o.metadata.ownerReferences) {
      const std::string owner_uid = owner.uid;
      reactor_.post(ctx_.profile.watch_latency, [this, owner_uid] { check_foreground(owner_uid); });
    }
  } else if (o.metadata.being_deleted() && o.metadata.has_finalizer("foregroundDeletion")) {
    reactor_.post(ctx_.profile.watch_latency, [this, uid] {
      auto owner = ctx_.store.by_uid(uid);
      if (!owner) return;
      for (const auto& dep : ctx_.store.owned_by(uid)) {
        if (dep->metadata.being_deleted()) continue;
        // A dependent that owns others is deleted in the foreground too, so the
        // whole chain (Deployment -> ReplicaSet -> pods) drains bottom-up.
        api::DeleteOptions opts;
        if (!ctx_.store.owned_by(dep->metadata.uid).empty()) opts.propagation = "Foreground";
        ctx_.store.remove(dep->info(), dep->metadata.namespace_, dep->metadata.name,
                          cause("deleting", "owner " + api::describe_ref(*owner) + " is being deleted in the foreground"),
                          opts);
      }
      check_foreground(uid);
    });
  }
}

void GarbageCollector::collect_dependents_of(const std::string& owner_uid, const std::string& owner_ref) {
  for (const auto& dep : ctx_.store.owned_by(owner_uid)) {
    // A dependent with another owner still alive stays.
    bool orphaned = true;
    for (const auto& ref : dep->metadata.ownerReferences)
      if (ref.uid != owner_uid && ctx_.store.by_uid(ref.uid)) orphaned = false;
    if (!orphaned || dep->metadata.being_deleted()) continue;
    ctx_.store.remove(dep->info(), dep->metadata.namespace_, dep->metadata.name,
                      cause("deleting", "owner " + owner_ref + " is gone"));
  }
}

void GarbageCollector::check_foreground(const std::string& owner_uid) {
  auto owner = ctx_.store.by_uid(owner_uid);
  if (!owner || !owner->metadata.being_deleted() || !owner->metadata.has_finalizer("foregroundDeletion")) return;
  for (const auto& dep : ctx_.store.owned_by(owner_uid))
    for (const auto& ref : dep->metadata.ownerReferences)
      if (ref.uid == owner_uid && ref.blockOwnerDeletion.value_or(false)) return;
  auto next = owner->clone();
  erase(next->metadata.finalizers, "foregroundDeletion");
  next->metadata.resourceVersion.clear();
  ctx_.store.update(std::move(next), cause("finalizer foregroundDeletion removed", "no blocking dependents remain"));
}

}  // namespace kvsim::sim::controllers::gc
