#include "models/meta.hpp"

#include <algorithm>

namespace kvsim::models {

const OwnerReference* ObjectMeta::controller_ref() const {
  for (const auto& o : ownerReferences)
    if (o.controller.value_or(false)) return &o;
  return nullptr;
}

bool ObjectMeta::has_finalizer(std::string_view f) const {
  return std::find(finalizers.begin(), finalizers.end(), f) != finalizers.end();
}

const Condition* find_condition(const std::vector<Condition>& conditions, std::string_view type) {
  for (const auto& c : conditions)
    if (c.type == type) return &c;
  return nullptr;
}

bool set_condition(std::vector<Condition>& conditions, Condition c, double now) {
  for (auto& existing : conditions) {
    if (existing.type != c.type) continue;
    if (existing.status == c.status && existing.reason == c.reason && existing.message == c.message) return false;
    c.lastTransitionTime = existing.status == c.status ? existing.lastTransitionTime : Timestamp{now};
    if (!c.lastProbeTime) c.lastProbeTime = existing.lastProbeTime;
    existing = std::move(c);
    return true;
  }
  c.lastTransitionTime = Timestamp{now};
  conditions.push_back(std::move(c));
  return true;
}

}  // namespace kvsim::models
