#pragma once
// `?`: the keys of the current view. The key map lives here as data so that
// the help screen and the README cannot drift from what the views bind.
#include <string>
#include <vector>

#include "tui/render/style.hpp"

namespace kvsim::tui::render {

enum class ViewKind { Table, Map, Timeline };

struct KeyHelp {
  std::string keys, what;
};

std::vector<KeyHelp> keys_for(ViewKind view);
Lines render_help(ViewKind view, std::size_t width);

}  // namespace kvsim::tui::render
