#include "tui/render/table.hpp"

#include <algorithm>

#include "sim/commands/printers.hpp"

namespace kvsim::tui::render {

namespace cmd = sim::commands;

bool matches_filter(const models::Object& o, const std::string& filter) {
  if (filter.empty()) return true;
  return o.metadata.name.find(filter) != std::string::npos ||
         (o.metadata.namespace_ + "/" + o.metadata.name).find(filter) != std::string::npos;
}

const std::vector<models::ObjectPtr>& TableRows::rows(const sim::api::Store& store, const TableQuery& query,
                                                      std::uint64_t store_version) {
  if (query == query_ && store_version == version_) return rows_;
  query_ = query;
  version_ = store_version;
  rows_.clear();
  if (!query.kind) return rows_;
  rows_ = store.list(*query.kind, query.kind->namespaced ? query.ns : std::string());
  if (!query.filter.empty())
    std::erase_if(rows_, [&](const models::ObjectPtr& o) { return !matches_filter(*o, query.filter); });
  return rows_;
}

std::size_t scroll_to_show(std::size_t first, std::size_t selected, std::size_t visible_rows) {
  if (visible_rows == 0) return selected;
  if (selected < first) return selected;
  if (selected >= first + visible_rows) return selected + 1 - visible_rows;
  return first;
}

namespace {

int status_column(const std::vector<std::string>& header) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == "STATUS" || header[i] == "PHASE") return static_cast<int>(i);
  return -1;
}

}  // namespace

std::string status_cell(const models::Object& o, double now) {
  const auto header = cmd::table_header(o.info(), false);
  const int col = status_column(header);
  if (col < 0) return "";
  return cmd::table_cells(o.info(), o, now, false)[static_cast<std::size_t>(col)];
}

Lines render_table(const models::KindInfo& kind, const std::vector<models::ObjectPtr>& rows, double now,
                   const TableWindow& window) {
  auto header = cmd::table_header(kind, false);
  std::vector<std::vector<std::string>> cells;
  const std::size_t shown = window.height > 0 ? window.height - 1 : 0;
  for (std::size_t i = window.first; i < rows.size() && i < window.first + shown; ++i) {
    cells.push_back(cmd::table_cells(kind, *rows[i], now, false));
    if (window.with_namespace) cells.back().insert(cells.back().begin(), rows[i]->metadata.namespace_);
  }
  if (window.with_namespace) header.insert(header.begin(), "NAMESPACE");
  int status_col = status_column(header);
  std::vector<std::size_t> widths(header.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], std::max<std::size_t>(display_width(row[c]) + 3, 6));
  };
  widen(header);
  for (const auto& r : cells) widen(r);

  auto lay_out = [&](const std::vector<std::string>& row, Role base, bool colour_status) {
    Line line;
    std::size_t used = 0;
    for (std::size_t c = 0; c < row.size() && used < window.width; ++c) {
      const std::size_t w = std::min(c + 1 == row.size() ? display_width(row[c]) : widths[c], window.width - used);
      Role role = base;
      if (colour_status && static_cast<int>(c) == status_col) role = status_role(row[c]);
      line.add(fit(row[c], w), role);
      used += w;
    }
    if (used < window.width) line.add(std::string(window.width - used, ' '), base);
    return line;
  };
  Lines out;
  out.push_back(lay_out(header, Role::Header, false));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const bool selected = window.first + i == window.selected;
    out.push_back(lay_out(cells[i], selected ? Role::Selected : Role::Normal, !selected));
  }
  return out;
}

}  // namespace kvsim::tui::render
