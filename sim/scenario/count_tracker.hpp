#pragma once
// A count check (`count: vmis` with a selector and `where` fields) kept up to date from the
// store's changes: each change re-judges only the object it is about, so judging the check
// costs O(change) instead of a read of every object of the kind per change. It agrees with
// evaluate() on the same objects (tests/unit/count_tracker_test.cpp replays random changes).
// Pure: the caller feeds it objects, the scenario runner and lab sessions from store changes.
#include <set>
#include <string>

#include "sim/scenario/check.hpp"

namespace kvsim::sim::scenario {

class CountTracker {
 public:
  // `check` must be a count (check.counting); it is copied.
  CountTracker(Check check, Baseline baseline);

  // Starts from the objects as they are: one full read, when the tracker is made.
  void reset(const ObjectSource& objects);
  // An object was created or changed (`removed` false) or is gone (`removed` true).
  void observe(const models::Object& o, bool removed);

  // Whether it holds: O(1), for judging on every change.
  bool held() const;
  // With the sentence when it does not hold (lists the names counted: O(count)).
  Verdict verdict() const;
  std::size_t counted() const { return names_.size(); }
  const Baseline& baseline() const { return baseline_; }

 private:
  bool in_scope(const models::Object& o) const;

  Check check_;
  Baseline baseline_;
  const models::KindInfo* kind_ = nullptr;
  std::set<std::string> names_;  // counted objects, by name (one namespace: sorted as a list is)
};

}  // namespace kvsim::sim::scenario
