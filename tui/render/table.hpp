#pragma once
// The resource table of one kind, as `oc get` prints it (same columns, same
// cells: sim/commands/printers), laid out for the rows on screen only.
#include <cstdint>
#include <string>
#include <vector>

#include "models/kind_info.hpp"
#include "models/meta.hpp"
#include "sim/api/store.hpp"
#include "tui/render/style.hpp"

namespace kvsim::tui::render {

struct TableQuery {
  const models::KindInfo* kind = nullptr;
  std::string ns;      // empty: all namespaces
  std::string filter;  // `/`: a substring of namespace/name; empty: everything
  friend bool operator==(const TableQuery&, const TableQuery&) = default;
};

// The objects a table lists, sorted by namespace/name and filtered. Listing
// 100,000 objects every frame would blow the frame budget, so the list is kept
// until the query or the store's version (a count of its changes) moves.
class TableRows {
 public:
  const std::vector<models::ObjectPtr>& rows(const sim::api::Store& store, const TableQuery& query,
                                             std::uint64_t store_version);

 private:
  TableQuery query_;
  std::uint64_t version_ = UINT64_MAX;
  std::vector<models::ObjectPtr> rows_;
};

bool matches_filter(const models::Object& o, const std::string& filter);

struct TableWindow {
  std::size_t first = 0;     // index of the first row shown
  std::size_t selected = 0;  // index of the cursor row
  std::size_t width = 80, height = 20;  // height counts the header line
  bool with_namespace = false;          // a leading NAMESPACE column (all namespaces)
};

// Keeps the cursor inside [first, first + height - 1).
std::size_t scroll_to_show(std::size_t first, std::size_t selected, std::size_t visible_rows);

// Header + the window's rows. Columns are as wide as their widest shown cell +
// 3 (kubectl's tabwriter settings), the STATUS/PHASE cell coloured by its value.
Lines render_table(const models::KindInfo& kind, const std::vector<models::ObjectPtr>& rows, double now,
                   const TableWindow& window);

// The STATUS or PHASE cell `get` prints for an object ("" when the kind has none).
std::string status_cell(const models::Object& o, double now);

}  // namespace kvsim::tui::render
