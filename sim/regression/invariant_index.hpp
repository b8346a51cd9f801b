#pragma once
// The invariants' inputs, kept from the store's changes so that a step's findings cost
// O(change + findings) instead of a read of every object at every sim instant. Each change
// updates only what its object contributes (a VMI to its VM's set, a pod to the ready pods of
// its node, an object to the orphans...), and findings() gives what the pure checks of
// invariants.hpp find on the whole store, in the same order.
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/api/store.hpp"
#include "sim/regression/invariants.hpp"

namespace kvsim::sim::regression {

class InvariantIndex {
 public:
  // Reads the store once; observe() must then see every change.
  explicit InvariantIndex(const api::Store& store);
  void observe(const api::WatchEvent& e);
  std::vector<Finding> findings() const;

 private:
  // (position of the kind in models::all_kinds(), namespace, name): the order a scan lists objects in.
  using Ref = std::tuple<std::size_t, std::string, std::string>;
  Ref ref_of(const models::Object& o) const;
  void add(const ObjectPtr& o);
  void remove(const models::Object& o);
  void judge_owners(const ObjectPtr& o);

  const api::Store& store_;
  std::map<std::string_view, std::size_t> kind_order_;
  // VMIs by the VM that controls them: (namespace/VM name, VM uid) -> VMIs by name.
  std::map<std::pair<std::string, std::string>, std::map<std::string, ObjectPtr>> vmis_by_vm_;
  std::map<std::string, ObjectPtr> unready_nodes_;  // Ready condition present and not True
  std::map<std::string, std::map<std::pair<std::string, std::string>, ObjectPtr>> ready_pods_;  // node -> (ns, name)
  std::map<std::string, ObjectPtr> pvs_, attachments_;
  std::map<Ref, Finding> orphans_;    // objects whose owner is gone, not being deleted
  std::map<Ref, Finding> diverging_;  // workloads whose observed count is not the desired one
};

}  // namespace kvsim::sim::regression
