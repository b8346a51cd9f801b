// Every lab through the kvsim binary: its solution passes every check, its
// untouched setup fails at least one check of every step; `lab list`; a lab
// driven by hand in the shell.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../cli/run_binary.hpp"
#include "sim/build_paths.hpp"

namespace {

// From the source tree, as a trainee runs it: labs/ resolves there.
std::string run(const std::string& args, const std::string& input, int* status) {
  return kvsim::testing::run_in(kvsim::build_paths::source_dir(), args, input, status);
}

// The grade blocks ("Step i/N: title" then its PASS/FAIL lines) after the summary header.
std::vector<std::string> step_blocks(const std::string& out) {
  std::vector<std::string> blocks;
  const auto summary = out.find("\nlab ");
  if (summary == std::string::npos) return blocks;
  for (auto at = out.find("\nStep ", summary); at != std::string::npos;) {
    const auto next = out.find("\nStep ", at + 1);
    blocks.push_back(out.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
    at = next;
  }
  return blocks;
}

void solve_and_grade_untouched(const std::string& lab, std::size_t steps) {
  int status = -1;
  const auto solved = run("lab run " + lab + " --solve --quiet", "", &status);
  {
    INFO(solved);
    CHECK(status == 0);
    CHECK(solved.find("  FAIL  ") == std::string::npos);
    CHECK(solved.find("PASS " + lab + ": ") != std::string::npos);
    CHECK(step_blocks(solved).size() == steps);
  }
  const auto untouched = run("lab run " + lab + " --grade-only --quiet", "", &status);
  INFO(untouched);
  CHECK(status == 1);
  CHECK(untouched.find("FAIL " + lab + ": ") != std::string::npos);
  const auto blocks = step_blocks(untouched);
  CHECK(blocks.size() == steps);
  for (const auto& b : blocks) {
    INFO(b);
    CHECK(b.find("  FAIL  ") != std::string::npos);  // every step has a check the untouched cluster fails
  }
}

}  // namespace

TEST_CASE("lab 01 workload controllers: solved it passes, untouched it fails") { solve_and_grade_untouched("01-workload-controllers", 2); }
TEST_CASE("lab 02 ReplicaSet selectors: solved it passes, untouched it fails") { solve_and_grade_untouched("02-replicaset-selectors", 2); }
TEST_CASE("lab 03 DaemonSets: solved it passes, untouched it fails") { solve_and_grade_untouched("03-daemonsets", 3); }
TEST_CASE("lab 04 StatefulSets: solved it passes, untouched it fails") { solve_and_grade_untouched("04-statefulsets", 3); }
TEST_CASE("lab 05 VM vs VMI: solved it passes, untouched it fails") { solve_and_grade_untouched("05-vm-vs-vmi", 3); }
TEST_CASE("lab 06 component chain: solved it passes, untouched it fails") { solve_and_grade_untouched("06-component-chain", 3); }
TEST_CASE("lab 07 consoles: solved it passes, untouched it fails") { solve_and_grade_untouched("07-consoles", 2); }
TEST_CASE("lab 08 networks: solved it passes, untouched it fails") { solve_and_grade_untouched("08-networks", 3); }
TEST_CASE("lab 09 storage: solved it passes, untouched it fails") { solve_and_grade_untouched("09-storage", 3); }
TEST_CASE("lab 10 stand-alone VMIs: solved it passes, untouched it fails") { solve_and_grade_untouched("10-standalone-vmis", 2); }
TEST_CASE("lab 11 node failure: solved it passes, untouched it fails") { solve_and_grade_untouched("11-node-failure", 2); }
TEST_CASE("lab 13 instance type VM: solved it passes, untouched it fails") { solve_and_grade_untouched("13-instancetype-vm", 3); }
TEST_CASE("lab 14 from a template: solved it passes, untouched it fails") { solve_and_grade_untouched("14-from-a-template", 3); }

// What the trainee reads on the way: the key of the Secret in the guest (lab 13), and the
// refusals each lab shows (a parameter the template lacks, a strategic merge patch of a VM).
TEST_CASE("lab 13 solved shows the Secret's key in the guest's authorized_keys, lab 14 the refusals of process and patch") {
  int status = -1;
  const auto thirteen = run("lab run 13 --solve --quiet", "", &status);
  {
    INFO(thirteen);
    CHECK(status == 0);
    CHECK(thirteen.find("> console fedora1 --exec \"cat .ssh/authorized_keys\"\n"
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvsimLab13TraineeKey trainee@lab13\n") != std::string::npos);
    CHECK(thirteen.find("      propagationMethod:\n        noCloud: {}\n") != std::string::npos);  // virtctl's manifest, read first
  }
  const auto fourteen = run("lab run 14 --solve --quiet", "", &status);
  INFO(fourteen);
  CHECK(status == 0);
  CHECK(fourteen.find("error: unknown parameter name \"VM_NAME\"\n") != std::string::npos);
  CHECK(fourteen.find("error: application/strategic-merge-patch+json is not supported by kubevirt.io/v1, "
                      "Kind=VirtualMachine: the body of the request was in an unknown format") != std::string::npos);
  CHECK(fourteen.find("> console web1 --exec whoami\nfedora\n") != std::string::npos);
}

// Solved, lab 12 needs a real QEMU guest (hybrid_lab_solve.sh); untouched, it fails anywhere.
TEST_CASE("lab 12 hybrid: untouched it fails every step") {
  int status = -1;
  const auto untouched = run("lab run 12 --grade-only --quiet", "", &status);
  INFO(untouched);
  CHECK(status == 1);
  const auto blocks = step_blocks(untouched);
  CHECK(blocks.size() == 3);
  for (const auto& b : blocks) CHECK(b.find("  FAIL  ") != std::string::npos);
}

// A trainee who reads each step for three minutes of sim time (the TUI's clock
// runs meanwhile) before acting still passes: no deadline counts from a step's start.
void solve_after_reading(const std::string& lab) {
  int status = -1;
  const auto out = run("lab run " + lab + " --solve --quiet --reading-pause 3m", "", &status);
  INFO(out);
  CHECK(status == 0);
  CHECK(out.find("(reading the step for 180s)\n") != std::string::npos);
  CHECK(out.find("  FAIL  ") == std::string::npos);
  CHECK(out.find("PASS " + lab + ": ") != std::string::npos);
}

TEST_CASE("lab 05 passes after a reading pause of 3 minutes before each step") { solve_after_reading("05-vm-vs-vmi"); }
TEST_CASE("lab 08 passes after a reading pause of 3 minutes before each step") { solve_after_reading("08-networks"); }
TEST_CASE("lab 11 passes after a reading pause of 3 minutes before each step") { solve_after_reading("11-node-failure"); }
TEST_CASE("labs 01 to 04, 06, 07, 09, 10, 13 and 14 pass after a reading pause of 3 minutes before each step") {
  for (const char* lab : {"01-workload-controllers", "02-replicaset-selectors", "03-daemonsets", "04-statefulsets",
                          "06-component-chain", "07-consoles", "09-storage", "10-standalone-vmis", "13-instancetype-vm",
                          "14-from-a-template"}) {
    INFO(lab);
    solve_after_reading(lab);
  }
}

TEST_CASE("lab run --reading-pause refuses what is not a duration") {
  int status = -1;
  const auto out = run("lab run 05 --solve --reading-pause soon", "", &status);
  CHECK(status != 0);
  CHECK(out.find("\"soon\" is not a duration (e.g. 30s, 3m)") != std::string::npos);
}

TEST_CASE("in the shell a deadline waits for the trainee's delete, retry-step begins the step again, skip is graded as skipped") {
  int status = -1;
  const auto out = run("lab start 05 --no-tui",
                       "advance 3m\nstart vm1\nadvance 60s\nlab grade\n"
                       "advance 5m\nlab grade\n"
                       "delete vmi vm1\nadvance 60s\nlab retry-step\nlab grade\n"
                       "delete vmi vm1\nadvance 60s\nlab grade\n"
                       "lab skip\nlab skip\nlab finish\n",
                       &status);
  INFO(out);
  CHECK(status == 0);
  // The shell says once how its time passes.
  CHECK(out.find("Step 1/3: Start the VM (begun at 30.0s, now 30.0s)\n\n(Time is frozen in the shell: when a step says "
                 "\"wait 30s\", type `advance 30s`. No deadline counts from a step's start.)\n") != std::string::npos);
  // Five minutes of reading step 2, then a grade: the deadline has not started.
  const auto waiting = out.find("  FAIL  the new VMI is Running within 60 s of your delete: your delete of VMI vm1 has not "
                                "happened yet (expected VMI vm1 to be deleted; it is still there (uid ");
  REQUIRE(waiting != std::string::npos);
  CHECK(out.find("), and this check counts from it\n", waiting) != std::string::npos);
  // Retried after the delete: the new VMI is now the baseline, and the clock waits for another delete.
  const auto retried = out.find("Step 2/3 begins again: its checks compare with the cluster as it is now, and each clock "
                                "waits for its event again.\n\nStep 2/3: Delete the VMI and watch it return (begun at 630.0s, "
                                "now 630.0s)\n");
  REQUIRE(retried != std::string::npos);
  CHECK(out.find("  FAIL  the VMI is re-created with a new UID: expected VMI vm1 to be re-created with a new UID; it still has "
                 "uid ", retried) != std::string::npos);
  CHECK(out.find("  FAIL  the new VMI is Running within 60 s of your delete: your delete of VMI vm1 has not happened yet",
                 retried) != std::string::npos);
  const auto passed = out.find("  PASS  the new VMI is Running within 60 s of your delete (at ", retried);
  REQUIRE(passed != std::string::npos);
  CHECK(out.find("3 passed, 0 failed\n\nNext: Step 3/3: Stop the VM", passed) != std::string::npos);
  CHECK(out.find("Step 3/3 skipped: it is graded as skipped, not passed.\nNo step is left: `lab finish` to close the lab.\n") !=
        std::string::npos);
  CHECK(out.find("No step is left to skip: `lab finish`.\n") != std::string::npos);
  CHECK(out.find("Lab 05-vm-vs-vmi finished at 690.0s: 2/3 steps passed, 1 skipped (step 3)\n") != std::string::npos);
}

TEST_CASE("kvsim lab list prints one lab per line, its name first") {
  int status = -1;
  const auto out = run("lab list", "", &status);
  INFO(out);
  CHECK(status == 0);
  CHECK(out.find("05-vm-vs-vmi             VM vs VMI: delete a VMI and watch it return\n") != std::string::npos);
  CHECK(out.rfind("01-workload-controllers  Workload controllers:", 0) == 0);
  std::size_t lines = 0;
  for (char c : out) lines += c == '\n' ? 1 : 0;
  CHECK(lines == 14);
}

TEST_CASE("lab run needs --solve or --grade-only and names an unknown lab") {
  int status = -1;
  auto out = run("lab run 05", "", &status);
  CHECK(status != 0);
  CHECK(out.find("one of --solve or --grade-only is required") != std::string::npos);
  out = run("lab run 99-nothing --solve", "", &status);
  CHECK(status == 1);
  CHECK(out.rfind("error: lab \"99-nothing\" not found (kvsim lab list shows 01-workload-controllers, ", 0) == 0);
}

TEST_CASE("in the shell a trainee reads the step, asks hints, fails, solves, grades, and resets") {
  int status = -1;
  const auto out = run("lab start --no-tui",
                       "lab hint\nlab hint\nlab hint\nlab grade\nstart vm1\nadvance 60s\nlab grade\nlab status\n"
                       "lab bogus\nlab reset\nlab status\nlab finish\nlab grade\n",
                       &status);
  INFO(out);
  CHECK(status == 0);
  // `lab start` without a name opens lab 05 at step 1, after its 30 s warmup.
  CHECK(out.rfind("Lab 05-vm-vs-vmi: VM vs VMI: delete a VMI and watch it return\nStep 1/3: Start the VM (begun at 30.0s, now 30.0s)\n", 0) == 0);
  CHECK(out.find("Hint 1/2: `start vm1` sets runStrategy Always") != std::string::npos);
  CHECK(out.find("Hint 2/2: The VMI runs inside a pod") != std::string::npos);
  CHECK(out.find("  FAIL  the VM reports Running: expected VM vm1 status.printableStatus to be \"Running\"; it is \"Stopped\"\n") !=
        std::string::npos);
  CHECK(out.find("0 passed, 4 failed") != std::string::npos);
  CHECK(out.find("4 passed, 0 failed\n\nNext: Step 2/3: Delete the VMI and watch it return (begun at 90.0s, now 90.0s)") !=
        std::string::npos);
  CHECK(out.find("error: unknown lab command \"bogus\" (expected status, hint, grade, retry-step, skip, finish, reset)") !=
        std::string::npos);
  // Reset starts a fresh cluster: step 1 again, at the warmup's end.
  const auto reset = out.find("Resetting lab 05-vm-vs-vmi: a fresh cluster, step 1.\n");
  REQUIRE(reset != std::string::npos);
  CHECK(out.find("Step 1/3: Start the VM (begun at 30.0s, now 30.0s)", reset) != std::string::npos);
  CHECK(out.find("Lab 05-vm-vs-vmi finished at 30.0s: 0/3 steps passed\n", reset) != std::string::npos);
  CHECK(out.find("The lab is finished: `lab reset` starts it again.", reset) != std::string::npos);
}

TEST_CASE("lab run --solve prints the timeline, each command with its output, then the grades") {
  int status = -1;
  const auto out = run("lab run 10 --solve", "", &status);
  INFO(out);
  CHECK(status == 0);
  const auto command = out.find("> apply -f labs/10-standalone-vmis/standalone-vmi.yaml\n");
  REQUIRE(command != std::string::npos);
  const auto created = out.find("   60.000s  user                     VirtualMachineInstance default/scratch", command);
  CHECK(created != std::string::npos);
  CHECK(out.find("virtualmachineinstance.kubevirt.io/scratch created\n", command) != std::string::npos);
  CHECK(out.find("virt-controller          Pod default/virt-launcher-scratch-", command) != std::string::npos);
  CHECK(out.find("\nlab 10-standalone-vmis (solved), 180.000s sim time\nStep 1/2: Create a stand-alone VMI\n"
                 "  PASS  the stand-alone VMI scratch is Running (at 120.000s)\n") != std::string::npos);
  CHECK(out.find("  PASS  the stand-alone VMI scratch did not come back (at 180.000s)\n") != std::string::npos);
}

TEST_CASE("lab start without a terminal says so and runs the default lab solved, headless: timeline and grade") {
  int status = -1;
  const auto out = run("lab start", "", &status);
  INFO(out);
  CHECK(status == 0);
  CHECK(out.rfind("kvsim lab start: not a terminal; running `kvsim lab run 05-vm-vs-vmi --solve` instead\n", 0) == 0);
  CHECK(out.find("virt-controller          VirtualMachineInstance default/vm1") != std::string::npos);
  CHECK(out.find("\nlab 05-vm-vs-vmi (solved), ") != std::string::npos);
  CHECK(out.find("PASS 05-vm-vs-vmi: 11 passed, 0 failed\n") != std::string::npos);
}
