// The shell's `get --field-selector`, as `oc get events --field-selector involvedObject.name=vm1`
// is used to read one object's Events: the fields each kind can be selected by are the API
// endpoint's (sim/apiserver/selectors.hpp). A flag get does not read is refused, so a list is
// never shown as filtered when it is not.
#include "small_cluster.hpp"

using namespace kvsim;

TEST_CASE("the shell's get --field-selector lists one VMI's Events and Running pods, and refuses what it cannot select by") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1"));
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return testing::vmi_running(cluster, "vm1"); }) > 0);

  const auto all = testing::run_ok(exec, "get events");
  REQUIRE(all.find("pod/virt-launcher-vm1-") != std::string::npos);
  const auto vmi_events =
      testing::run_ok(exec, "get events --field-selector involvedObject.kind=VirtualMachineInstance,involvedObject.name=vm1");
  CHECK(vmi_events.find("virtualmachineinstance/vm1") != std::string::npos);
  CHECK(vmi_events.find("SuccessfulCreate") != std::string::npos);
  CHECK(vmi_events.find("pod/") == std::string::npos);
  CHECK(vmi_events.find("virtualmachine/vm1 ") == std::string::npos);

  CHECK(testing::run_ok(exec, "get pods --field-selector status.phase=Running").find("virt-launcher-vm1-") !=
        std::string::npos);
  CHECK(testing::run_ok(exec, "get pods --field-selector=status.phase!=Running") ==
        "No resources found in default namespace.\n");

  CHECK(exec.run("get events --field-selector foo=bar").error ==
        "Error from server (BadRequest): field label not supported: foo");
  const auto ignored = exec.run("get pods --sort-by=.metadata.name");
  CHECK(ignored.output.empty());
  CHECK(ignored.error.find("the shell's get does not take --sort-by") != std::string::npos);
}
