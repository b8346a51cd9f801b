// End to end through the kvsim binary, as a user types it.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "run_binary.hpp"
#include "sim/build_paths.hpp"

using kvsim::testing::run;

TEST_CASE("the shell shows the VM Running and brings a deleted VMI back with a new UID") {
  const std::string scenario = std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml";
  const auto out = run("shell " + scenario,
                       "advance 50s\n"
                       "get vm\n"
                       "get vmi vm1 -o jsonpath\n"
                       "get vmi vm1 -o yaml\n"
                       "delete vmi vm1\n"
                       "advance 1s\n"
                       "get vm vm1\n"
                       "advance 60s\n"
                       "get vmis\n"
                       "get vmi vm1 -o yaml\n"
                       "oc get pods -n openshift-cnv\n");
  INFO(out);
  CHECK(out.find("NAME   AGE   STATUS    READY\nvm1    50s   Running   True\n") != std::string::npos);
  CHECK(out.find("virtualmachineinstance.kubevirt.io \"vm1\" deleted") != std::string::npos);
  CHECK(out.find("vm1    51s   Stopping") != std::string::npos);
  CHECK(out.find("error: unable to match a printer suitable for the output format \"jsonpath\"") != std::string::npos);
  // Two uids were printed by the two -o yaml, and they differ.
  std::vector<std::string> uids;
  for (std::size_t at = out.find("  uid: "); at != std::string::npos; at = out.find("  uid: ", at + 1))
    uids.push_back(out.substr(at + 7, 36));
  REQUIRE(uids.size() >= 2);
  CHECK(uids.front() != uids.back());
  CHECK(out.find("virt-handler-") != std::string::npos);
  // virt-controller's pod-template-hash, from its template (KubeVirt v1.5's requests: 10m, 275Mi).
  CHECK(out.find("virt-controller-5bd96d79b5-") != std::string::npos);
}

TEST_CASE("start on an Always VM is refused with 409 and a stopped VM stays Stopped") {
  const std::string scenario = std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml";
  const auto out = run("shell " + scenario, "advance 1s\nstart vm1\nadvance 39s\nstart vm1\nstop vm1\nadvance 30s\nget vm vm1\n");
  INFO(out);
  // lifecycle.go refuses any VMI that is not final and has a phase ("VM is already running"), a
  // starting one (Scheduling at 1 s) as much as a running one; "Always does not support manual start
  // requests" needs no VMI or a final one (tables in tests/controllers/vm_plan_test.cpp).
  std::size_t refusals = 0;
  const std::string refusal = "Operation cannot be fulfilled on virtualmachine.kubevirt.io \"vm1\": VM is already running";
  for (auto at = out.find(refusal); at != std::string::npos; at = out.find(refusal, at + 1)) ++refusals;
  CHECK(refusals >= 1);  // at 40 s; at 1 s virt-api may not serve subresources yet
  CHECK(out.find("vm1    70s   Stopped   False") != std::string::npos);
}

TEST_CASE("kvsim validate refuses an unknown field with its location") {
  std::ofstream("bad-vm.yaml") << "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: vm1\nspec:\n"
                                  "  runStrategy: Sometimes\n  template:\n    spec:\n      domain:\n        devices: {}\n"
                                  "        memory: {guest: 1Gi}\n      volumez: []\n";
  int status = 0;
  const auto out = run("validate bad-vm.yaml", "", &status);
  CHECK(status == 1);
  CHECK(out.find("bad-vm.yaml:6:16: spec.runStrategy: Unsupported value: \"Sometimes\": supported values: Always, "
                 "RerunOnFailure, Manual, Halted, Once") != std::string::npos);
  CHECK(out.find("bad-vm.yaml:12:7: spec.template.spec.volumez: unknown field \"volumez\" (did you mean \"volumes\"?)") !=
        std::string::npos);
}

TEST_CASE("the same scenario and seed give a byte-identical trace") {
  const std::string scenario = std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml";
  int a = 0, b = 0;
  run("run " + scenario + " --quiet --trace trace-a.jsonl", "", &a);
  run("run " + scenario + " --quiet --trace trace-b.jsonl", "", &b);
  CHECK(a == 0);
  CHECK(b == 0);
  std::ifstream fa("trace-a.jsonl"), fb("trace-b.jsonl");
  const std::string ta((std::istreambuf_iterator<char>(fa)), {}), tb((std::istreambuf_iterator<char>(fb)), {});
  CHECK(ta.size() > 1000);
  CHECK(ta == tb);
}

TEST_CASE("a Halted VM stays Stopped and a deleted stand-alone VMI is gone for good") {
  const std::string manifests = "/tmp/kvsim-cli-standalone.yaml";
  std::ofstream(manifests) << "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: halted\nspec:\n"
                              "  runStrategy: Halted\n  template:\n    spec:\n      domain:\n        devices: {}\n"
                              "        memory: {guest: 512Mi}\n"
                              "---\n"
                              "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstance\nmetadata:\n  name: lonely\nspec:\n"
                              "  domain:\n    devices: {}\n    memory: {guest: 512Mi}\n";
  const std::string scenario = std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml";
  const auto out = run("shell " + scenario, "apply -f " + manifests +
                                                "\nadvance 30s\nget vm halted\nget vmi lonely\ndelete vmi lonely\n"
                                                "advance 60s\nget vmi lonely\nget vm halted\n");
  INFO(out);
  CHECK(out.find("virtualmachine.kubevirt.io/halted created") != std::string::npos);
  CHECK(out.find("virtualmachineinstance.kubevirt.io/lonely created") != std::string::npos);
  CHECK(out.find("halted   30s   Stopped   False") != std::string::npos);
  CHECK(out.find("lonely   30s   Running") != std::string::npos);
  CHECK(out.find("Error from server (NotFound): virtualmachineinstances.kubevirt.io \"lonely\" not found") !=
        std::string::npos);
  CHECK(out.find("halted   90s   Stopped   False") != std::string::npos);
}
