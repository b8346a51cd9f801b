#pragma once
// Where things go on the screen, from its size alone (pure, tested without a
// terminal): the status bar on row 0, the message or prompt on the last row,
// and between them the view, with the lab panel beside it when there is room.
namespace kvsim::tui::views {

struct Area {
  int top = 0, left = 0, height = 0, width = 0;
};

enum class LabPlace {
  none,     // no lab, or hidden with `l`, or (on a small screen) not opened
  side,     // on the right of the view: step, checks, table and timeline at once
  overlay,  // over the view (a small screen): `l` opens it, esc closes it
};

struct ScreenPlan {
  Area view;  // the table over the lower panel, the map, the timeline, their overlays
  Area lab;   // the lab panel (side), or the area it covers (overlay)
  LabPlace lab_place = LabPlace::none;
};

// The smallest screen with the lab beside the view: 120x40 fits a table of VMs or
// pods, a timeline and a lab step with its checks.
inline constexpr int kLabSideMinWidth = 120, kLabSideMinHeight = 30;
// The lab panel's width beside the view: two fifths of the screen, within these.
inline constexpr int kLabSideMinColumns = 46, kLabSideMaxColumns = 72;

bool lab_fits_beside(int width, int height);
// `lab_shown`: the trainee has not hidden the lab (wide screens) or has opened it
// (small screens).
ScreenPlan plan_screen(int width, int height, bool has_lab, bool lab_shown);

}  // namespace kvsim::tui::views
