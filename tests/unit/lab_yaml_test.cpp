// lab.yaml: what loads, and the located errors of what does not.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/lab/lab.hpp"

using namespace kvsim;

namespace {

// A lab folder of its own under /tmp (tests run in parallel).
struct LabDir {
  std::string dir;
  LabDir() {
    char tmpl[] = "/tmp/kvsim-lab-XXXXXX";
    dir = mkdtemp(tmpl);
  }
  ~LabDir() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& text) const {
    const std::string file = dir + "/lab.yaml";
    std::ofstream(file) << text;
    return file;
  }
};

const char* kSetup = R"(setup:
  platform:
    nodes:
    - {name: worker-1, role: worker}
  objects:
  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox}]}}
)";

std::string load_error(const std::string& text) {
  LabDir d;
  models::Problems problems;
  auto lab = sim::lab::load_lab(d.write(text), problems);
  CHECK_FALSE(lab);
  std::string joined = models::join_lines(problems);
  // The folder differs per run: report it as lab.yaml.
  for (auto at = joined.find(d.dir + "/"); at != std::string::npos; at = joined.find(d.dir + "/"))
    joined.erase(at, d.dir.size() + 1);
  return joined;
}

}  // namespace

TEST_CASE("a lab.yaml loads: title, inline setup, steps, checks, $LAB_DIR expanded") {
  LabDir d;
  const std::string file = d.write(std::string("title: A lab\nobjectives: [learn]\n") + kSetup + R"yaml(warmup: 30s
steps:
- title: Do it
  instructions: apply -f $LAB_DIR/x.yaml
  hints: [look]
  solution: [apply -f $LAB_DIR/x.yaml, advance 10s]
  checks:
  - {name: p runs, object: pod/p, phase: Running, within: 1m, from: {name: your delete of pod p, object: pod/p, deleted: true}}
  - {name: two pods, count: pods, selector: "app in (a,b)", where: {status.phase: Running}, atLeast: 2}
)yaml");
  models::Problems problems;
  auto lab = sim::lab::load_lab(file, problems);
  INFO(models::join_lines(problems));
  REQUIRE(lab);
  CHECK(lab->title == "A lab");
  CHECK(lab->warmup == 30);
  CHECK(lab->setup.cluster.platform.nodes.size() == 1);
  REQUIRE(lab->steps.size() == 1);
  CHECK(lab->steps[0].instructions == "apply -f " + d.dir + "/x.yaml");
  CHECK(lab->steps[0].solution[0] == "apply -f " + d.dir + "/x.yaml");
  const auto& checks = lab->steps[0].checks;
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].kind == "Pod");
  CHECK(checks[0].field == "status.phase");
  CHECK(checks[0].equals == "Running");
  CHECK(checks[0].within == 60);
  REQUIRE(checks[0].from);
  CHECK(checks[0].from->name == "your delete of pod p");
  CHECK(checks[0].from->deleted);
  CHECK(checks[1].counting);
  CHECK(checks[1].at_least);
  CHECK(checks[1].count == 2);
}

TEST_CASE("a lab's setup may name a scenario under scenarios/") {
  LabDir d;
  const std::string file = d.write("title: T\nsetup: default\nsteps:\n- title: s\n  instructions: i\n  solution: [advance 1s]\n"
                                   "  checks: [{name: n, object: vmi/vm1, phase: Running}]\n");
  models::Problems problems;
  auto lab = sim::lab::load_lab(file, problems);
  INFO(models::join_lines(problems));
  REQUIRE(lab);
  CHECK(lab->setup.name == "default");
  CHECK(lab->setup.cluster.platform.nodes.size() == 6);
  CHECK(lab->name == std::filesystem::path(d.dir).filename().string());
}

TEST_CASE("lab.yaml errors name the line, column, field path and what is valid") {
  const std::string head = std::string("title: T\n") + kSetup;
  SECTION("an unknown top-level field") {
    CHECK(load_error(head + "stepz: []\n") ==
          "lab.yaml:8:1: stepz: unknown field \"stepz\" (expected one of title, objectives, setup, warmup, view, steps)");
  }
  SECTION("a check on an unknown kind") {
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - {name: n, object: vmx/vm1, phase: Running}\n") ==
          "lab.yaml:13:23: steps[0].checks[0].object: unknown kind \"vmx\" (kvsim api-resources lists the kinds)");
  }
  SECTION("a check that is neither about an object nor a count") {
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n  - {name: n, phase: Running}\n") ==
          "lab.yaml:13:5: steps[0].checks[0]: exactly one of object (KIND/NAME, e.g. vmi/vm1) or count (a kind, e.g. pods) is required");
  }
  SECTION("a count without its number, and a bad selector") {
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - name: n\n    count: pods\n    selector: \"app in (a\"\n") ==
          "lab.yaml:15:15: steps[0].checks[0].selector: " + models::parse_selector("app in (a").error + "\n" +
              "lab.yaml:13:5: steps[0].checks[0].equals: Required value: the number of objects expected (equals: N or atLeast: N)");
  }
  SECTION("a bad duration and a step without checks") {
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - {name: n, object: vmi/vm1, phase: Running, within: soon, from: {name: e, object: vmi/vm1, deleted: true}}\n"
                            "- {title: t, instructions: i, solution: [x]}\n") ==
          "lab.yaml:13:56: steps[0].checks[0].within: \"soon\" is not a duration (e.g. 30s, 5m)\n"
          "lab.yaml:14:3: steps[1].checks: Required value: at least one check");
  }
  SECTION("a deadline without the event that starts its clock, and an event with a clock of its own") {
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - {name: n, object: vmi/vm1, phase: Running, within: 60s}\n") ==
          "lab.yaml:13:56: steps[0].checks[0].within: within needs from, the event that starts its clock (e.g. from: "
          "{name: your delete of VMI vm1, object: vmi/vm1, deleted: true}): a lab's deadline never counts from the step's start");
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - {name: n, object: vmi/vm1, phase: Running, within: 60s, from: {name: e, object: vmi/vm1, "
                            "deleted: true, within: 5s}}\n") ==
          "lab.yaml:13:67: steps[0].checks[0].from: the event that starts a clock has no clock of its own (no from or within)");
    CHECK(load_error(head + "steps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - {name: n, object: vmi/vm1, deleted: true, new: true}\n") ==
          "lab.yaml:13:5: steps[0].checks[0]: exists, absent, deleted and field exclude each other (and absent and deleted "
          "exclude new and same)");
  }
  SECTION("a view the TUI does not have") {
    CHECK(load_error(head + "view: podz\nsteps:\n- title: s\n  instructions: i\n  solution: [x]\n  checks:\n"
                            "  - {name: n, object: vmi/vm1, phase: Running}\n") ==
          "lab.yaml:8:7: view: \"podz\" is not a view of the TUI (a kind as `get` names it, e.g. pods, vms, vmis; or map, "
          "timeline)");
  }
  SECTION("an inline setup's problems are located under setup") {
    CHECK(load_error("title: T\nsetup:\n  platform:\n    nodes:\n    - {name: w, role: boss}\nsteps: []\n") ==
          "lab.yaml:5:23: setup.platform.nodes[0].role: Unsupported value: \"boss\": supported values: control-plane, worker\n"
          "lab.yaml:6:8: steps: Required value: at least one step");
  }
  SECTION("a missing lab") {
    models::Problems problems;
    CHECK_FALSE(sim::lab::load_lab("/nonexistent/lab.yaml", problems));
    CHECK(models::join_lines(problems) ==
          "/nonexistent/lab.yaml: cannot read the lab: No such file or directory (labs live in labs/NN-topic/lab.yaml)");
  }
}
