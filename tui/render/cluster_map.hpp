#pragma once
// The cluster map: nodes as boxes holding their VMIs and pods coloured by
// phase, a powered-off node drawn down, live migrations drawn from the source
// box to the target box. collect_map reads the store for the nodes on screen
// only; render_map is a pure function of the collected model.
#include <functional>
#include <string>
#include <vector>

#include "sim/api/store.hpp"
#include "tui/render/style.hpp"

namespace kvsim::tui::render {

struct MapItem {
  std::string label;   // "VMI vm1", "pod virt-launcher-vm1-x7k2p"
  std::string status;  // the phase / STATUS get prints
};

struct MapNode {
  std::string name;
  std::string status;  // the node's STATUS column (Ready, NotReady, Ready,SchedulingDisabled)
  bool host_down = false;
  std::vector<MapItem> items;
};

struct MapMigration {
  std::string vmi, source, target, phase;
};

struct ClusterMap {
  std::vector<MapNode> nodes;  // the window's nodes
  std::size_t first = 0, total_nodes = 0;
  std::vector<MapMigration> migrations;
};

using HostUp = std::function<bool(const std::string& node)>;

ClusterMap collect_map(const sim::api::Store& store, const HostUp& host_up, std::size_t first, std::size_t max_nodes,
                       double now);

// How many node boxes fit across `width` columns.
std::size_t map_columns(std::size_t width);

Lines render_map(const ClusterMap& map, std::size_t width, std::size_t height, const Glyphs& glyphs);

}  // namespace kvsim::tui::render
