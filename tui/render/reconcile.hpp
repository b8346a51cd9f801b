#pragma once
// The reconciliation panel: for the selected object, what was asked (spec)
// beside what is (status), and the last decision a controller took about it
// with its reason, read from the trace (the same records as the timeline).
#include <vector>

#include "models/meta.hpp"
#include "sim/engine/trace.hpp"
#include "tui/render/history.hpp"
#include "tui/render/style.hpp"

namespace kvsim::tui::render {

// "path: value" for each leaf of a JSON tree; conditions as "Type=Status (Reason)".
std::vector<std::string> flatten(const models::Json& value, const std::string& prefix = "");

Lines render_reconcile(const models::Object& obj, const std::vector<sim::engine::TraceRecord>& records,
                       const History& history, std::size_t width, std::size_t height);

}  // namespace kvsim::tui::render
