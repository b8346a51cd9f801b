#include "tui/render/cluster_map.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "sim/commands/printers.hpp"
#include "tui/render/table.hpp"

namespace kvsim::tui::render {

namespace {
constexpr std::size_t kMinBoxWidth = 26;
}

std::size_t map_columns(std::size_t width) { return std::max<std::size_t>(1, width / kMinBoxWidth); }

ClusterMap collect_map(const sim::api::Store& store, const HostUp& host_up, std::size_t first, std::size_t max_nodes,
                       double now) {
  ClusterMap map;
  const auto nodes = store.list(models::Node::kind_info());
  map.total_nodes = nodes.size();
  map.first = std::min(first, nodes.size());
  for (std::size_t i = map.first; i < nodes.size() && i < map.first + max_nodes; ++i) {
    const auto& node = *nodes[i];
    MapNode box{node.metadata.name, status_cell(node, now), host_up && !host_up(node.metadata.name), {}};
    for (const auto& o : store.on_node(models::VirtualMachineInstance::kind_info(), node.metadata.name)) {
      const auto& vmi = static_cast<const models::VirtualMachineInstance&>(*o);
      box.items.push_back({"VMI " + vmi.metadata.name, vmi.metadata.deletionTimestamp ? "Terminating" : vmi.status.phase});
    }
    for (const auto& o : store.on_node(models::Pod::kind_info(), node.metadata.name))
      box.items.push_back({"pod " + o->metadata.name, sim::commands::pod_status_reason(static_cast<const models::Pod&>(*o))});
    map.nodes.push_back(std::move(box));
  }
  for (const auto& o : store.list(models::VirtualMachineInstanceMigration::kind_info())) {
    const auto& vmim = static_cast<const models::VirtualMachineInstanceMigration&>(*o);
    if (vmim.status.phase == "Succeeded" || vmim.status.phase == "Failed") continue;
    auto vmi = store.get<models::VirtualMachineInstance>(vmim.metadata.namespace_, vmim.spec.vmiName);
    if (!vmi) continue;
    const auto& ms = vmi->status.migrationState;
    const std::string source = ms.is_object() ? ms.value("sourceNode", vmi->status.nodeName) : vmi->status.nodeName;
    const std::string target = ms.is_object() ? ms.value("targetNode", std::string()) : std::string();
    map.migrations.push_back({vmi->metadata.name, source, target,
                              vmim.status.phase.empty() ? "Pending" : vmim.status.phase});
  }
  return map;
}

namespace {

std::string repeat(std::string_view glyph, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += glyph;
  return s;
}

// A line of `width` cells where a migration arrow runs from one box centre to another.
Line arrow_line(const MapMigration& m, std::size_t from, std::size_t to, std::size_t width, const Glyphs& g) {
  const std::size_t lo = std::min(from, to), hi = std::max(from, to);
  std::string label = " " + m.vmi + " migrating (" + m.phase + ") ";
  std::size_t span = hi - lo + 1;
  if (display_width(label) + 4 > span) label = " " + m.vmi + " ";
  label = clip(label, span > 4 ? span - 4 : 0);
  const std::size_t rest = span - 2 - display_width(label);
  const std::size_t left_run = rest / 2, right_run = rest - left_run;
  Line line;
  line.add(std::string(lo, ' '));
  std::string body = (from < to ? std::string(g.bottom_left) : std::string(g.head_left)) + repeat(g.horizontal, left_run) +
                     label + repeat(g.horizontal, right_run) +
                     (from < to ? std::string(g.head_right) : std::string(g.bottom_right));
  line.add(body, Role::Pending);
  if (width > hi + 1) line.add(std::string(width - hi - 1, ' '));
  return line;
}

}  // namespace

Lines render_map(const ClusterMap& map, std::size_t width, std::size_t height, const Glyphs& g) {
  Lines out;
  const std::size_t cols = map_columns(width);
  const std::size_t box_w = width / cols;
  const std::size_t rows = (map.nodes.size() + cols - 1) / cols;
  std::size_t footer = 1;  // the "nodes i-j of n" line
  std::vector<const MapMigration*> elsewhere;
  std::vector<std::vector<std::pair<const MapMigration*, std::pair<std::size_t, std::size_t>>>> arrows(rows);
  auto where = [&](const std::string& node) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < map.nodes.size(); ++i)
      if (map.nodes[i].name == node) return i;
    return std::nullopt;
  };
  for (const auto& m : map.migrations) {
    auto s = where(m.source), t = where(m.target);
    if (s && t && *s / cols == *t / cols)
      arrows[*s / cols].push_back({&m, {(*s % cols) * box_w + box_w / 2, (*t % cols) * box_w + box_w / 2}});
    else
      elsewhere.push_back(&m);
  }
  footer += elsewhere.size();
  std::size_t arrow_lines = 0;
  for (const auto& a : arrows) arrow_lines += a.size();
  const std::size_t room = height > footer + arrow_lines ? height - footer - arrow_lines : 0;
  const std::size_t per_row = rows ? room / rows : 0;
  const std::size_t inner = per_row > 2 ? per_row - 2 : 0;

  for (std::size_t r = 0; r < rows; ++r) {
    std::size_t row_items = 0;
    for (std::size_t c = 0; c < cols && r * cols + c < map.nodes.size(); ++c)
      row_items = std::max(row_items, map.nodes[r * cols + c].items.size() + (map.nodes[r * cols + c].host_down ? 1 : 0));
    const std::size_t lines_in_box = std::max<std::size_t>(1, std::min(inner, std::max<std::size_t>(row_items, 1)));
    std::vector<Line> block(lines_in_box + 2);
    for (std::size_t c = 0; c < cols; ++c) {
      const std::size_t idx = r * cols + c;
      if (idx >= map.nodes.size()) break;
      const auto& n = map.nodes[idx];
      const Role frame = n.host_down ? Role::Down : status_role(n.status) == Role::Failed ? Role::Failed : Role::Muted;
      const std::size_t inside = box_w - 2;
      std::string title = " " + n.name + " " + (n.host_down ? "DOWN" : n.status) + " ";
      title = clip(title, inside);
      block[0].add(std::string(g.top_left) + title + repeat(g.horizontal, inside - display_width(title)) +
                       std::string(g.top_right),
                   frame);
      std::vector<MapItem> items;
      if (n.host_down) items.push_back({"host powered off", ""});
      items.insert(items.end(), n.items.begin(), n.items.end());
      for (std::size_t l = 0; l < lines_in_box; ++l) {
        Line& line = block[l + 1];
        line.add(std::string(g.vertical), frame);
        if (l + 1 == lines_in_box && items.size() > lines_in_box) {
          line.add(fit(fmt::format(" +{} more", items.size() - l), inside), Role::Muted);
        } else if (l < items.size()) {
          const auto& it = items[l];
          const std::string st = it.status.empty() ? "" : " " + it.status;
          const std::size_t st_w = std::min(display_width(st), inside - 2);
          const std::size_t label_w = inside - 2 - st_w;
          line.add(" " + fit(it.label, label_w), n.host_down ? (l == 0 ? Role::Down : Role::Muted) : Role::Normal);
          line.add(clip(st, st_w) + " ", n.host_down ? Role::Muted : status_role(it.status));
        } else {
          line.add(std::string(inside, ' '));
        }
        line.add(std::string(g.vertical), frame);
      }
      block.back().add(std::string(g.bottom_left) + repeat(g.horizontal, inside) + std::string(g.bottom_right), frame);
    }
    for (auto& l : block) out.push_back(std::move(l));
    for (const auto& [m, cols_pair] : arrows[r]) out.push_back(arrow_line(*m, cols_pair.first, cols_pair.second, width, g));
  }
  for (const auto* m : elsewhere)
    out.emplace_back(fit(fmt::format(" {} migrating {} {} {} ({})", m->vmi, m->source, g.arrow,
                                     m->target.empty() ? "a node not chosen yet" : m->target, m->phase),
                         width),
                     Role::Pending);
  const std::size_t last = map.first + map.nodes.size();
  out.emplace_back(fit(map.total_nodes == 0 ? " no nodes"
                                            : fmt::format(" nodes {}-{} of {}  (j/k scroll; f/R fail/recover {})",
                                                          map.first + 1, last, map.total_nodes,
                                                          map.nodes.empty() ? "" : map.nodes.front().name),
                       width),
                   Role::Muted);
  if (out.size() > height) out.resize(height);
  return out;
}

}  // namespace kvsim::tui::render
