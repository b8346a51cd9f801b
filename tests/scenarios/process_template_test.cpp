// OpenShift Templates (issue 19 item 3): the common VM templates in `openshift`
// (kubevirt/common-templates v0.34.0), `get templates` as oc prints them, and
// `process ... | apply -f -` creating a VM that boots from a clone of a golden image.
#include "small_cluster.hpp"

#include <regex>

#include "models/cdi.hpp"
#include "models/template.hpp"

using namespace kvsim;

namespace {

std::string processed_name(const std::string& json) {
  std::smatch m;
  REQUIRE(std::regex_search(json, m, std::regex("\"kubevirt.io/domain\": \"([^\"]+)\"")));
  return m[1];
}

}  // namespace

TEST_CASE("the common VM templates are in namespace openshift with oc's NAME DESCRIPTION PARAMETERS OBJECTS") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto table = testing::run_ok(exec, "get templates -n openshift");
  CHECK(table.rfind("NAME                          DESCRIPTION", 0) == 0);
  for (const char* t : {"centos-stream9-server-small", "fedora-server-small", "rhel8-server-small",
                        "rhel9-server-small", "windows2k22-server-medium"})
    CHECK(table.find(std::string("\n") + t + " ") != std::string::npos);
  // The description annotation cut at 80 characters; 4 parameters, 2 of them generated.
  CHECK(table.find("\nfedora-server-small           Template for Fedora Linux 40 VM or newer. A PVC with the Fedora disk "
                   "image mu...   4 (2 generated)   1\n") != std::string::npos);
}

TEST_CASE("process --parameters lists a common template's parameters as oc does") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  // oc's tabwriter: minimum width 20, padding 3 (pkg/helpers/describe PrintTemplateParameters).
  CHECK(testing::run_ok(exec, "oc process --parameters -n openshift fedora-server-small") ==
        "NAME                    DESCRIPTION                                          GENERATOR           VALUE\n"
        "NAME                    VM name                                              expression          "
        "fedora-[a-z0-9]{16}\n"
        "DATA_SOURCE_NAME        Name of the DataSource to clone                                          fedora\n"
        "DATA_SOURCE_NAMESPACE   Namespace of the DataSource                                              "
        "openshift-virtualization-os-images\n"
        "CLOUD_USER_PASSWORD     Randomized password for the cloud-init user fedora   expression          "
        "[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\n");
}

TEST_CASE("process fills a common template's parameters, its generated values drawn as library-go draws them") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto first = testing::run_ok(exec, "process -n openshift fedora-server-small");
  const auto name = processed_name(first);
  // fedora-[a-z0-9]{16}, whose ranges stop short of z and 9 (library-go's generator).
  CHECK(std::regex_match(name, std::regex("fedora-[a-y0-8]{16}")));
  CHECK(first.rfind("{\n    \"kind\": \"List\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {},\n    \"items\": [\n", 0) == 0);
  CHECK(first.find("\"name\": \"" + name + "\"\n") != std::string::npos);  // metadata.name, its last key
  CHECK(first.find("\"namespace\": \"openshift-virtualization-os-images\"") != std::string::npos);
  CHECK(std::regex_search(first, std::regex("password: [a-y0-8]{4}-[a-y0-8]{4}-[a-y0-8]{4}\\\\n")));
  CHECK(first.find("${") == std::string::npos);
  // Each run draws anew: another name.
  CHECK(processed_name(testing::run_ok(exec, "process -n openshift fedora-server-small")) != name);

  const auto yaml = testing::run_ok(exec, "process -n openshift rhel9-server-small -p NAME=db -o yaml");
  CHECK(yaml.rfind("apiVersion: v1\nitems:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachine\n", 0) == 0);
  CHECK(yaml.find("\n    name: db\n") != std::string::npos);
  CHECK(yaml.find("\nkind: List\nmetadata: {}\n") != std::string::npos);
}

TEST_CASE("describe template prints oc's TemplateDescriber") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto text = testing::run_ok(exec, "describe template -n openshift fedora-server-small");
  CHECK(text.rfind("Name:\t\tfedora-server-small\nNamespace:\topenshift\nCreated:\t3 days ago\n"
                   "Labels:\t\tflavor.template.kubevirt.io/small=true\n", 0) == 0);
  CHECK(text.find("\nDescription:\tTemplate for Fedora Linux 40 VM or newer. A PVC with the Fedora disk image must be "
                  "available.\n") != std::string::npos);
  CHECK(text.find("\nParameters:\t\t \n    Name:\t\tNAME\n    Description:\tVM name\n    Required:\t\tfalse\n"
                  "    Generated:\t\texpression\n    From:\t\tfedora-[a-z0-9]{16}\n\n") != std::string::npos);
  CHECK(text.find("\n    Name:\t\tDATA_SOURCE_NAME\n    Description:\tName of the DataSource to clone\n"
                  "    Required:\t\tfalse\n    Value:\t\tfedora\n") != std::string::npos);
  CHECK(text.ends_with("\n\nObject Labels:\t<none>\n\nMessage:\t<none>\n\n"
                       "Objects:\t\t\t \n    VirtualMachine.kubevirt.io\t${NAME}\n"));
}

TEST_CASE("process refuses an unknown parameter, a missing template and a missing name as oc does", "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto before = cluster.store().list(models::VirtualMachine::kind_info()).size();
  CHECK(exec.run("process -n openshift fedora-server-small -p COLOR=red").error ==
        "error: unknown parameter name \"COLOR\"");
  CHECK(exec.run("process fedora-server-small").error == "error: template \"fedora-server-small\" could not be found");
  CHECK(exec.run("process").error ==
        "error: Must pass a filename or name of stored template\nSee 'oc process -h' for help and examples");
  CHECK(exec.run("process -n openshift fedora-server-small -p NAME=a NAME=b").error ==
        "error: The following parameters were provided more than once: NAME\nSee 'oc process -h' for help and "
        "examples");
  CHECK(exec.run("process -n openshift fedora-server-small --parameters -p NAME=a").error ==
        "error: The --parameters flag does not process the template, can't be used with --param\nSee 'oc process -h' "
        "for help and examples");
  CHECK(exec.run("process -n openshift fedora-server-small -p NAME").error ==
        "error: invalid parameter assignment in \"NAME\"");
  // A pipe whose processing fails applies nothing.
  CHECK(exec.run("process -n openshift fedora-server-small -p COLOR=red | apply -f -").error ==
        "error: unknown parameter name \"COLOR\"");
  CHECK(exec.run("get vm | grep x").error ==
        "error: the shell's pipe feeds one command, apply -f - or create -f - (e.g. process TEMPLATE | apply -f -)");
  CHECK(cluster.store().list(models::VirtualMachine::kind_info()).size() == before);
}

TEST_CASE("a required template parameter left out is refused as the server refuses it", "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto path = testing::write_file("required.yaml", R"(
apiVersion: template.openshift.io/v1
kind: Template
metadata: {name: needs-owner}
objects:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: "${OWNER}-cm"}}
parameters:
- {name: OWNER, required: true}
)");
  testing::run_ok(exec, "apply -f " + path);
  CHECK(exec.run("process needs-owner").error ==
        "error: unable to process template\n"
        "  Required value: template.parameters[0]: parameter OWNER is required and must be specified");
  CHECK(testing::run_ok(exec, "process needs-owner -p OWNER=ann | apply -f -") == "configmap/ann-cm created\n");
  CHECK(testing::run_ok(exec, "process -f " + path + " OWNER=bob | apply -f -") == "configmap/bob-cm created\n");
  CHECK(testing::run_ok(exec, "get templates") ==
        "NAME          DESCRIPTION   PARAMETERS    OBJECTS\nneeds-owner                 1 (1 blank)   1\n");
}

TEST_CASE("process fedora-server-small piped to apply makes a VM that starts from a clone of the fedora golden image") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  CHECK(testing::run_ok(exec, "oc process -n openshift fedora-server-small -p NAME=vm1 | oc apply -f -") ==
        "virtualmachine.kubevirt.io/vm1 created\n");
  // The template's VM is Halted, but its DataVolume is cloned at once.
  const double cloned = testing::run_until_true(cluster, 60, [&] {
    auto dv = cluster.store().get<models::DataVolume>("default", "vm1");
    return dv && dv->succeeded();
  }, 0.1);
  REQUIRE(cloned > 0);
  cluster.run_until(cluster.now() + 2);  // the VM controller sees the DataVolume done
  auto dv = cluster.store().get<models::DataVolume>("default", "vm1");
  CHECK(dv->spec.source["snapshot"]["namespace"] == "openshift-virtualization-os-images");
  CHECK(testing::first_record(cluster, "DataVolume", "vm1", "-> CloneFromSnapshotSourceInProgress") > 0);
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->status.printableStatus == "Stopped");
  testing::run_ok(exec, "virtctl start vm1");
  CHECK(testing::run_until_true(cluster, 300, [&] { return testing::vmi_running(cluster, "vm1"); }, 0.5) > 0);
  const auto vms = testing::run_ok(exec, "get vm vm1");
  CHECK(vms.find("Running") != std::string::npos);
}
