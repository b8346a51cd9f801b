#include "tui/views/screen_plan.hpp"

#include <algorithm>

namespace kvsim::tui::views {

bool lab_fits_beside(int width, int height) { return width >= kLabSideMinWidth && height >= kLabSideMinHeight; }

ScreenPlan plan_screen(int width, int height, bool has_lab, bool lab_shown) {
  ScreenPlan plan;
  const int body = std::max(0, height - 2);
  plan.view = {1, 0, body, width};
  if (!has_lab || !lab_shown) return plan;
  if (!lab_fits_beside(width, height)) {
    plan.lab_place = LabPlace::overlay;
    plan.lab = plan.view;
    return plan;
  }
  const int columns = std::clamp(width * 2 / 5, kLabSideMinColumns, kLabSideMaxColumns);
  plan.lab_place = LabPlace::side;
  plan.lab = {1, width - columns, body, columns};
  plan.view.width = width - columns - 1;  // one column for the separator
  return plan;
}

}  // namespace kvsim::tui::views
