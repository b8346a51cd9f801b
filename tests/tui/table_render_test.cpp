// The resource table: get's columns, only the window's rows, the cursor and
// the status colours; the row cache follows the store's version.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "sim/commands/printers.hpp"
#include "tui/render/table.hpp"
#include "tui_fixtures.hpp"

using namespace kvsim::tui::render;
using kvsim::models::VirtualMachineInstance;

namespace {

std::vector<std::string> texts(const Lines& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.text());
  return out;
}

}  // namespace

TEST_CASE("the table shows the VMI columns oc get prints, one row per VMI, the phase coloured") {
  tui_fixtures::World w;
  auto vm1 = w.vm("vm1"), vm2 = w.vm("vm2");
  w.vmi("vm1", vm1, "worker-1");
  w.vmi("vm2", vm2, "worker-2", "Scheduling");
  TableRows cache;
  const auto& rows = cache.rows(w.store, {&VirtualMachineInstance::kind_info(), "default", ""}, w.version);
  REQUIRE(rows.size() == 2);
  const double now = rows[0]->metadata.creationTimestamp->seconds + 75;
  const auto lines = render_table(VirtualMachineInstance::kind_info(), rows, now, {0, 1, 60, 10, false});
  const auto t = texts(lines);
  REQUIRE(t.size() == 3);
  // The same text `get vmis` prints, padded to the width.
  const auto printed = kvsim::sim::commands::print_table(VirtualMachineInstance::kind_info(), rows, now, {});
  CHECK(printed == "NAME   AGE   PHASE        IP    NODENAME   READY\n"
                   "vm1    75s   Running            worker-1\n"
                   "vm2    75s   Scheduling         worker-2\n");
  CHECK(t[0] == fit("NAME   AGE   PHASE        IP    NODENAME   READY", 60));
  CHECK(t[1] == fit("vm1    75s   Running            worker-1", 60));
  CHECK(t[2] == fit("vm2    75s   Scheduling         worker-2", 60));
  CHECK(lines[0].spans[0].role == Role::Header);
  CHECK(lines[1].spans[2].role == Role::Running);  // PHASE of the row without the cursor
  for (const auto& s : lines[2].spans) CHECK(s.role == Role::Selected);  // the cursor row
  for (const auto& s : t) CHECK(display_width(s) == 60);
}

TEST_CASE("the table formats only the rows in its window") {
  tui_fixtures::World w;
  auto vm = w.vm("owner");
  for (int i = 0; i < 100; ++i) w.vmi(fmt::format("vm-{:03}", i), vm, "worker-1");
  TableRows cache;
  const auto& rows = cache.rows(w.store, {&VirtualMachineInstance::kind_info(), "", ""}, w.version);
  REQUIRE(rows.size() == 100);
  const auto t = texts(render_table(VirtualMachineInstance::kind_info(), rows, 0, {50, 52, 100, 6, true}));
  REQUIRE(t.size() == 6);  // header + 5 rows
  CHECK(t[0].starts_with("NAMESPACE   NAME"));
  CHECK(t[1].starts_with("default     vm-050"));
  CHECK(t[5].starts_with("default     vm-054"));
  CHECK(scroll_to_show(50, 60, 5) == 56);
  CHECK(scroll_to_show(50, 10, 5) == 10);
  CHECK(scroll_to_show(50, 52, 5) == 50);
}

TEST_CASE("the row cache keeps its list until the store version or the query changes") {
  tui_fixtures::World w;
  auto vm = w.vm("vm1");
  w.vmi("vm1", vm, "worker-1");
  TableRows cache;
  const kvsim::tui::render::TableQuery all{&VirtualMachineInstance::kind_info(), "default", ""};
  const auto seen = w.version;
  CHECK(cache.rows(w.store, all, seen).size() == 1);
  auto vm2 = w.vm("vm2");
  w.vmi("vm2", vm2, "worker-1");
  CHECK(cache.rows(w.store, all, seen).size() == 1);  // same version: the cached list
  CHECK(cache.rows(w.store, all, w.version).size() == 2);
  CHECK(cache.rows(w.store, {&VirtualMachineInstance::kind_info(), "default", "vm2"}, w.version).size() == 1);
  CHECK(cache.rows(w.store, {&VirtualMachineInstance::kind_info(), "other", ""}, w.version).empty());
}

TEST_CASE("status cells take their colour from what they say") {
  CHECK(status_role("Running") == Role::Running);
  CHECK(status_role("Scheduling") == Role::Pending);
  CHECK(status_role("Init:0/1") == Role::Pending);
  CHECK(status_role("CrashLoopBackOff") == Role::Failed);
  CHECK(status_role("NotReady") == Role::Failed);
  CHECK(status_role("Terminating") == Role::Terminating);
  CHECK(status_role("Ready,SchedulingDisabled") == Role::Pending);
}

TEST_CASE("fit and clip count columns, not bytes, and never split a box-drawing character") {
  CHECK(display_width("┌─ a ─┐") == 7);
  CHECK(clip("┌──┐", 2) == "┌─");
  CHECK(fit("ab", 4) == "ab  ");
  CHECK(fit("abcdef", 3) == "abc");
}
