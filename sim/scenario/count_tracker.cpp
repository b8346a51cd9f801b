#include "sim/scenario/count_tracker.hpp"

#include <fmt/format.h>

#include <vector>

#include "models/registry.hpp"

namespace kvsim::sim::scenario {

CountTracker::CountTracker(Check check, Baseline baseline)
    : check_(std::move(check)), baseline_(std::move(baseline)), kind_(models::find_kind(check_.kind)) {}

bool CountTracker::in_scope(const models::Object& o) const {
  if (!kind_ || o.info().kind != kind_->kind) return false;
  if (kind_->namespaced && o.metadata.namespace_ != check_.ns) return false;
  return !check_.parsed_selector || check_.parsed_selector->matches(o.metadata.labels);
}

void CountTracker::reset(const ObjectSource& objects) {
  names_.clear();
  if (!kind_) return;
  for (const auto& o : objects.list(*kind_, kind_->namespaced ? check_.ns : std::string(),
                                    check_.parsed_selector ? &*check_.parsed_selector : nullptr))
    observe(*o, false);
}

void CountTracker::observe(const models::Object& o, bool removed) {
  if (!kind_ || o.info().kind != kind_->kind) return;
  // Names are unique only within a namespace: another namespace's object is none of ours.
  if (kind_->namespaced && o.metadata.namespace_ != check_.ns) return;
  if (!removed && in_scope(o) && counts(check_, baseline_, o)) names_.insert(o.metadata.name);
  else names_.erase(o.metadata.name);
}

bool CountTracker::held() const {
  const auto n = static_cast<int>(names_.size());
  return kind_ && (check_.at_least ? n >= check_.count : n == check_.count);
}

Verdict CountTracker::verdict() const {
  if (!kind_) return {false, fmt::format("unknown kind \"{}\"", check_.kind)};
  return count_verdict(check_, std::vector<std::string>(names_.begin(), names_.end()));
}

}  // namespace kvsim::sim::scenario
