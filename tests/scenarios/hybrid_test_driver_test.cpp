// Hybrid mode on libvirt's test driver (test:///default, in-process, no daemon):
// VMIs' domains are real libvirt domains. A second connection to the same URI
// (the test driver shares its state between connections) plays `virsh`: it
// looks at the domains kvsim made, destroys one from outside, and leaves one
// behind as a killed run would.
#include <libvirt/libvirt.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "small_cluster.hpp"

#include "models/kubevirt.hpp"
#include "sim/hypervisor/libvirt_runtime.hpp"

using namespace kvsim;
using testing::run_ok;
using testing::vmi;

namespace {

constexpr const char* kTestUri = "test:///default";

// `virsh -c test:///default`, for the test's eyes and hands.
struct Virsh {
  virConnectPtr conn = virConnectOpen(kTestUri);
  ~Virsh() { virConnectClose(conn); }
  bool active(const std::string& name) const {
    virDomainPtr d = virDomainLookupByName(conn, name.c_str());
    if (!d) return false;
    const bool on = virDomainIsActive(d) == 1;
    virDomainFree(d);
    return on;
  }
  bool exists(const std::string& name) const {
    virDomainPtr d = virDomainLookupByName(conn, name.c_str());
    if (d) virDomainFree(d);
    return d != nullptr;
  }
  bool destroy(const std::string& name) const {
    virDomainPtr d = virDomainLookupByName(conn, name.c_str());
    const bool ok = d && virDomainDestroy(d) == 0;
    if (d) virDomainFree(d);
    return ok;
  }
  // Defines and starts a bare test-driver domain.
  bool create(const std::string& name) const {
    const std::string xml = "<domain type='test'><name>" + name +
                            "</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>";
    virDomainPtr d = virDomainDefineXML(conn, xml.c_str());
    const bool ok = d && virDomainCreate(d) == 0;
    if (d) virDomainFree(d);
    return ok;
  }
  std::vector<std::string> kvsim_domains() const {
    std::vector<std::string> names;
    virDomainPtr* all = nullptr;
    const int n = virConnectListAllDomains(conn, &all, 0);
    for (int i = 0; i < n; ++i) {
      const std::string name = virDomainGetName(all[i]);
      if (name.starts_with("kvsim-")) names.push_back(name);
      virDomainFree(all[i]);
    }
    free(all);
    return names;
  }
};

sim::cluster::ClusterOptions hybrid_options(const std::string& uri) {
  auto options = testing::small_cluster_options();
  for (auto& node : options.platform.nodes) node.hypervisor = uri;
  return options;
}

std::string test_driver_vm_yaml(const std::string& name) {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks:
          - name: rootdisk
            disk: {bus: virtio}
        resources: {requests: {memory: 128Mi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
)";
}

double when_phase_each_half_second(sim::cluster::Cluster& c, const std::string& name, const std::string& phase,
                                   double limit, const std::string& not_uid = "") {
  return testing::run_until_true(
      c, limit,
      [&] {
        auto vmi = testing::vmi(c, name);
        return vmi && vmi->metadata.uid != not_uid && vmi->status.phase == phase;
      },
      0.5);
}

std::string domain_of(const std::string& vmi) { return "kvsim-" + sim::hypervisor::run_id() + "-default_" + vmi; }

}  // namespace

TEST_CASE("Hybrid test driver: a VM's domain is defined and started on libvirt and goes when the VM stops") {
  Virsh virsh;
  sim::cluster::Cluster cluster(hybrid_options(kTestUri));
  sim::commands::Executor exec(cluster);
  testing::apply_yaml(cluster, test_driver_vm_yaml("vm1"));
  REQUIRE(when_phase_each_half_second(cluster, "vm1", "Running", 120) > 0);
  CHECK(virsh.active(domain_of("vm1")));
  CHECK(virsh.kvsim_domains() == std::vector<std::string>{domain_of("vm1")});
  run_ok(exec, "stop vm1");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return !vmi(cluster, "vm1"); }, 0.5) > 0);
  // virt-launcher shut the domain down (the test driver answers ACPI at once) and virt-handler undefined it.
  CHECK_FALSE(virsh.exists(domain_of("vm1")));
}

TEST_CASE("Hybrid test driver: a domain destroyed outside kvsim fails its VMI and runStrategy Always brings a new domain") {
  Virsh virsh;
  sim::cluster::Cluster cluster(hybrid_options(kTestUri));
  testing::apply_yaml(cluster, test_driver_vm_yaml("vm1"));
  REQUIRE(when_phase_each_half_second(cluster, "vm1", "Running", 120) > 0);
  const auto first = vmi(cluster, "vm1")->metadata.uid;
  REQUIRE(virsh.destroy(domain_of("vm1")));  // virsh destroy
  // libvirt's event reaches kvsim through its event thread within milliseconds of wall time, while
  // the unpaced simulation runs far faster: let wall time pass between steps, as it does for a user.
  const double failed = testing::run_until_true(
      cluster, cluster.now() + 30,
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return vmi(cluster, "vm1")->status.phase == "Failed";
      },
      0.5);
  REQUIRE(failed > 0);
  CHECK(vmi(cluster, "vm1")->metadata.uid == first);
  // The VM controller replaces the failed VMI; its new domain runs on libvirt.
  REQUIRE(when_phase_each_half_second(cluster, "vm1", "Running", cluster.now() + 120, first) > 0);
  CHECK(virsh.active(domain_of("vm1")));
}

TEST_CASE("Hybrid test driver: domains left by a killed run are removed at start and reported, and nothing is left on exit") {
  Virsh virsh;
  // A run whose pid no longer exists left one running domain behind.
  const std::string leftover = "kvsim-999999999-default_old";
  REQUIRE(virsh.create(leftover));
  REQUIRE(virsh.create("not-ours"));
  sim::hypervisor::take_notices();
  {
    sim::cluster::Cluster cluster(hybrid_options(kTestUri));
    const auto notices = sim::hypervisor::take_notices();
    REQUIRE(notices.size() == 1);
    CHECK(notices[0] == "kvsim: removed domain " + leftover +
                            " on test:///default, left by an earlier run (pid 999999999) that did not clean up");
    CHECK_FALSE(virsh.exists(leftover));
    CHECK(virsh.active("not-ours"));
    testing::apply_yaml(cluster, test_driver_vm_yaml("vm1") + "---\n" + test_driver_vm_yaml("vm2"));
    REQUIRE(when_phase_each_half_second(cluster, "vm1", "Running", 120) > 0);
    REQUIRE(when_phase_each_half_second(cluster, "vm2", "Running", 120) > 0);
    CHECK(virsh.kvsim_domains().size() == 2);
  }
  CHECK(virsh.kvsim_domains().empty());
  CHECK(virsh.active("not-ours"));
}

TEST_CASE("Hybrid bad input: an unreachable libvirt fails the VMI with the error and how to fix it, and the rest goes on") {
  auto options = hybrid_options("qemu+unix:///system?socket=/nonexistent/libvirt-sock");
  sim::cluster::Cluster cluster(options);
  testing::apply_yaml(cluster, test_driver_vm_yaml("vm1") + "---\n" + testing::web_replicaset_yaml(2));
  REQUIRE(when_phase_each_half_second(cluster, "vm1", "Failed", 120) > 0);
  auto vmi = testing::vmi(cluster, "vm1");
  const auto* sync = models::find_condition(vmi->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK(sync->status == "False");
  CHECK(sync->reason == "Synchronizing with the Domain failed.");
  CHECK_THAT(sync->message, Catch::StartsWith("server error. command SyncVMI failed: \"cannot connect to libvirt at "
                                              "qemu+unix:///system?socket=/nonexistent/libvirt-sock: "));
  CHECK_THAT(sync->message, Catch::Contains("/nonexistent/libvirt-sock"));
  CHECK_THAT(sync->message, Catch::EndsWith("; run scripts/setup --hybrid (it installs and starts libvirtd and builds the guest)\""));
  bool event = false;
  for (const auto& e : cluster.store().events_for(vmi->metadata.uid))
    if (e->reason == "SyncFailed" && e->type == "Warning" && e->message == sync->message) event = true;
  CHECK(event);
  // The simulation goes on: the pods run.
  CHECK(testing::run_until_true(cluster, cluster.now() + 120, [&] {
          auto p = cluster.store().list(models::Pod::kind_info(), "default");
          int running = 0;
          for (const auto& o : p)
            if (static_cast<const models::Pod&>(*o).status.phase == "Running" && o->metadata.name.starts_with("web-")) ++running;
          return running == 2;
        }, 0.5) > 0);
}

TEST_CASE("Hybrid bad input: a domain definition libvirt rejects fails the VMI with libvirt's error") {
  Virsh virsh;
  sim::cluster::Cluster cluster(hybrid_options(kTestUri));
  // A domain of that name already exists with another UUID: libvirt refuses the definition.
  REQUIRE(virsh.create(domain_of("vm1")));
  testing::apply_yaml(cluster, test_driver_vm_yaml("vm1"));
  REQUIRE(when_phase_each_half_second(cluster, "vm1", "Failed", 120) > 0);
  const auto* sync = models::find_condition(vmi(cluster, "vm1")->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK_THAT(sync->message, Catch::StartsWith("server error. command SyncVMI failed: \"defining domain " + domain_of("vm1") +
                                              " on test:///default failed: "));
  CHECK_THAT(sync->message, Catch::Contains("already exists"));
  virsh.destroy(domain_of("vm1"));
}
