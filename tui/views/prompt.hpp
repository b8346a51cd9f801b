#pragma once
// What the `:` prompt runs: a command typed while the UI shows a namespace
// runs in that namespace (as kubectl in a context's namespace), unless it
// names one itself (-n, --namespace, -A) or takes none (node, advance, ...).
#include <string>

namespace kvsim::tui::views {

std::string in_namespace(const std::string& line, const std::string& ns);

}  // namespace kvsim::tui::views
