#pragma once
// What the `:` prompt runs: a command typed while the UI shows a namespace
// runs in that namespace (as kubectl in a context's namespace), unless it
// names one itself (-n, --namespace, -A) or takes none (node, advance, ...).
#include <optional>
#include <string>

#include "tui/views/line_editor.hpp"

namespace kvsim::tui::views {

std::string in_namespace(const std::string& line, const std::string& ns);

// The editing a key does at a prompt (ncurses' key codes, as readline binds
// them); nullopt for a key that types itself or does something else.
std::optional<LineKey> line_key(int key);

}  // namespace kvsim::tui::views
