#pragma once
// `x`: the owner tree of the selected object, from its topmost owner down
// (Deployment -> ReplicaSet -> pods; VM -> VMI -> virt-launcher pod -> node;
// DaemonSet -> one pod per node), each with its status.
#include "models/meta.hpp"
#include "sim/api/store.hpp"
#include "tui/render/style.hpp"

namespace kvsim::tui::render {

Lines render_owner_tree(const sim::api::Store& store, const models::Object& selected, double now,
                        const Glyphs& glyphs);

}  // namespace kvsim::tui::render
