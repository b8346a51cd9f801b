#include "tui/render/history.hpp"

#include <algorithm>

namespace kvsim::tui::render {

void History::catch_up(const std::vector<sim::engine::TraceRecord>& records) {
  for (; indexed_ < records.size(); ++indexed_)
    if (!records[indexed_].uid.empty()) by_uid_[records[indexed_].uid].push_back(indexed_);
}

void History::observe(const models::Object& o) {
  for (const auto& ref : o.metadata.ownerReferences) {
    if (ref.uid.empty()) continue;
    owners_[o.metadata.uid].insert(ref.uid);
    dependents_[ref.uid].insert(o.metadata.uid);
  }
}

const std::vector<std::size_t>& History::records_of(const std::string& uid) const {
  static const std::vector<std::size_t> none;
  auto it = by_uid_.find(uid);
  return it == by_uid_.end() ? none : it->second;
}

std::set<std::string> History::chain(const std::string& uid) const {
  // Up to the topmost owner (owner cycles are refused by nothing here: bound the walk).
  std::string root = uid;
  for (int depth = 0; depth < 16; ++depth) {
    auto it = owners_.find(root);
    if (it == owners_.end() || it->second.empty()) break;
    root = *it->second.begin();
  }
  std::set<std::string> out{root};
  std::vector<std::string> todo{root};
  while (!todo.empty()) {
    const std::string cur = todo.back();
    todo.pop_back();
    auto it = dependents_.find(cur);
    if (it == dependents_.end()) continue;
    for (const auto& d : it->second)
      if (out.insert(d).second) todo.push_back(d);
  }
  out.insert(uid);
  return out;
}

std::vector<std::size_t> History::records_of(const std::set<std::string>& uids) const {
  std::vector<std::size_t> out;
  for (const auto& uid : uids) {
    const auto& mine = records_of(uid);
    out.insert(out.end(), mine.begin(), mine.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kvsim::tui::render
