#pragma once
// What the timeline and the reconciliation panel need to find quickly in a
// trace that only grows: each object's records, and who owned whom (also for
// objects already deleted, so a deleted VMI's old launcher pod stays in the
// VM's chain). Both are fed incrementally, never rebuilt.
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/meta.hpp"
#include "sim/engine/trace.hpp"

namespace kvsim::tui::render {

class History {
 public:
  // Indexes the records appended since the last call.
  void catch_up(const std::vector<sim::engine::TraceRecord>& records);
  // Remembers an object's owners (call for every object the store writes).
  void observe(const models::Object& o);

  // Indices of the records of one object, oldest first.
  const std::vector<std::size_t>& records_of(const std::string& uid) const;
  // The object's chain: its topmost owner and everything that owner ever
  // owned, transitively (VM -> every VMI it had -> their launcher pods).
  std::set<std::string> chain(const std::string& uid) const;
  // Record indices of a set of objects, merged oldest first.
  std::vector<std::size_t> records_of(const std::set<std::string>& uids) const;

 private:
  std::size_t indexed_ = 0;
  std::unordered_map<std::string, std::vector<std::size_t>> by_uid_;
  std::unordered_map<std::string, std::set<std::string>> owners_, dependents_;
};

}  // namespace kvsim::tui::render
