#include "tui/render/owner_tree.hpp"

#include <algorithm>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "tui/render/table.hpp"

namespace kvsim::tui::render {

namespace {

// Where a pod or VMI runs: the last hop of the chain the trainee follows.
std::string node_of(const models::Object& o) {
  if (o.info().kind == "Pod") return static_cast<const models::Pod&>(o).spec.nodeName;
  if (o.info().kind == "VirtualMachineInstance")
    return static_cast<const models::VirtualMachineInstance&>(o).status.nodeName;
  return "";
}

models::ObjectPtr owner_of(const sim::api::Store& store, const models::Object& o) {
  const models::OwnerReference* pick = nullptr;
  for (const auto& ref : o.metadata.ownerReferences)
    if (!pick || ref.controller.value_or(false)) pick = &ref;
  return pick ? store.by_uid(pick->uid) : nullptr;
}

void walk(const sim::api::Store& store, const models::ObjectPtr& o, const std::string& indent, bool last, bool root,
          const std::string& selected_uid, double now, const Glyphs& g, Lines& out, int depth) {
  Line line;
  line.add(indent + (root ? "" : std::string(last ? g.tree_last : g.tree_branch)), Role::Muted);
  const std::string label = o->kind + " " + (o->metadata.namespace_.empty() ? "" : o->metadata.namespace_ + "/") +
                            o->metadata.name;
  line.add(label, o->metadata.uid == selected_uid ? Role::Selected : Role::Normal);
  const std::string status = o->metadata.deletionTimestamp ? "Terminating" : status_cell(*o, now);
  if (!status.empty()) line.add("  " + status, status_role(status));
  if (const auto node = node_of(*o); !node.empty()) line.add("  " + std::string(g.arrow) + " node " + node, Role::Accent);
  out.push_back(std::move(line));
  if (depth > 8) return;
  auto children = store.owned_by(o->metadata.uid);
  std::sort(children.begin(), children.end(), [](const models::ObjectPtr& a, const models::ObjectPtr& b) {
    return std::tie(a->kind, a->metadata.name) < std::tie(b->kind, b->metadata.name);
  });
  const std::string next_indent = root ? indent : indent + std::string(last ? "   " : g.tree_pipe);
  for (std::size_t i = 0; i < children.size(); ++i)
    walk(store, children[i], next_indent, i + 1 == children.size(), false, selected_uid, now, g, out, depth + 1);
}

}  // namespace

Lines render_owner_tree(const sim::api::Store& store, const models::Object& selected, double now,
                        const Glyphs& glyphs) {
  models::ObjectPtr root = store.by_uid(selected.metadata.uid);
  if (!root) return {Line(selected.kind + " " + selected.metadata.name + " is gone", Role::Muted)};
  for (int depth = 0; depth < 16; ++depth) {
    auto up = owner_of(store, *root);
    if (!up) break;
    root = up;
  }
  Lines out;
  walk(store, root, "", true, true, selected.metadata.uid, now, glyphs, out, 0);
  return out;
}

}  // namespace kvsim::tui::render
