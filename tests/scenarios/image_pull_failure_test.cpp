// Image pulls that fail, end to end (issue 20, item 3; FIDELITY.md §10): a containerDisk the
// registry does not hold gives the launcher pod Init:ErrImagePull, then Init:ImagePullBackOff
// with kubelet's back-off (10 s doubling to 300 s), kubelet's events, and the VM's
// printableStatus ErrImagePull / ImagePullBackOff through the VMI's Synchronized condition.
// An unreachable registry fails pulls until it is back; then the VM starts.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"
#include "sim/commands/printers.hpp"

using namespace kvsim;
using testing::launcher_of;

namespace {

// The count of the pod's event `reason` whose message starts with `prefix` (0 when none).
int event_count(sim::cluster::Cluster& c, const models::Pod& pod, const std::string& reason, const std::string& prefix) {
  int n = 0;
  for (const auto& e : c.store().events_for(pod.metadata.uid))
    if (e->reason == reason && e->message->rfind(prefix, 0) == 0) n += e->count;
  return n;
}

}  // namespace

TEST_CASE("an image the registry does not hold: ErrImagePull, ImagePullBackOff with kubelet's back-off, and the VM's status") {
  auto options = testing::small_cluster_options();
  options.profile.registry_images = {"quay.io/kubevirt/cirros-container-disk-demo"};
  sim::cluster::Cluster cluster(options);
  cluster.run_until(0);
  const std::string bad = "quay.io/kubevirt/cirros-container-disk-demo:no-such-tag";
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", bad));
  std::shared_ptr<const models::Pod> pod;
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return (pod = launcher_of(cluster, "vm1")) && !pod->spec.nodeName.empty(); }) > 0);
  // Sample every 0.1 s for 11 minutes: when each failed pull is reported, what kubectl and the VM show.
  std::vector<double> failures;
  std::set<std::string> pod_statuses, vm_statuses;
  const std::string failed = "Failed to pull image \"" + bad + "\": ";
  int seen = 0;
  const double start = cluster.now();
  while (cluster.now() < start + 660) {
    cluster.run_until(cluster.now() + 0.1);
    pod = launcher_of(cluster, "vm1");
    REQUIRE(pod);
    const int n = event_count(cluster, *pod, "Failed", failed);
    if (n > seen) failures.push_back(cluster.now());
    seen = n;
    pod_statuses.insert(sim::commands::pod_status_reason(*pod));
    vm_statuses.insert(cluster.store().get<models::VirtualMachine>("default", "vm1")->status.printableStatus);
  }
  CHECK(pod_statuses.contains("Init:ErrImagePull"));
  CHECK(pod_statuses.contains("Init:ImagePullBackOff"));
  CHECK(vm_statuses.contains("ErrImagePull"));
  CHECK(vm_statuses.contains("ImagePullBackOff"));
  CHECK_FALSE(vm_statuses.contains("Running"));
  // Pulls 10, 20, 40, 80, 160 then 300 s after each failure (each failed pull takes 0.5 s).
  REQUIRE(failures.size() >= 7);
  const double expected[] = {10.5, 20.5, 40.5, 80.5, 160.5, 300.5};
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("failure " << i + 1 << " to " << i + 2);
    CHECK(failures[i + 1] - failures[i] == Approx(expected[i]).margin(0.25));
  }
  // kubelet's events, and the VMI's Synchronized condition that carries the error to the VM.
  CHECK(event_count(cluster, *pod, "Failed", failed + "initializing source docker://" + bad +
                                               ": reading manifest no-such-tag in "
                                               "quay.io/kubevirt/cirros-container-disk-demo: manifest unknown") >= 7);
  CHECK(event_count(cluster, *pod, "Failed", "Error: ErrImagePull") >= 7);
  CHECK(event_count(cluster, *pod, "BackOff", "Back-off pulling image \"" + bad + "\"") > 0);
  CHECK(event_count(cluster, *pod, "Failed", "Error: ImagePullBackOff") > 0);
  CHECK(event_count(cluster, *pod, "Pulling", "Pulling image \"" + bad + "\"") >= 7);
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
  const auto* sync = models::find_condition(vmi->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK(sync->status == "False");
  CHECK((sync->reason == "ErrImagePull" || sync->reason == "ImagePullBackOff"));
  cluster.shutdown();
}

TEST_CASE("an unreachable registry fails pulls after the dial timeout, and the VM starts once it is back") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  CHECK(testing::run_ok(exec, "registry fail") == "image registry unreachable (pulls time out)\n");
  CHECK(exec.run("registry down").error == "error: usage: registry fail|recover");
  const std::string image = "quay.io/containerdisks/fedora:40";
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", image));
  std::shared_ptr<const models::Pod> pod;
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return (pod = launcher_of(cluster, "vm1")) && !pod->spec.nodeName.empty(); }) > 0);
  const double bound = cluster.now();
  const std::string failed = "Failed to pull image \"" + image + "\": ";
  const double first = testing::run_until_true(cluster, bound + 200, [&] {
    pod = launcher_of(cluster, "vm1");
    return event_count(cluster, *pod, "Failed", failed) > 0;
  }, 0.1);
  REQUIRE(first > 0);
  // The pull waited out the 30 s dial timeout (the images before it in the queue waited too).
  CHECK(first - bound >= 30);
  CHECK(event_count(cluster, *pod, "Failed",
                    failed + "initializing source docker://" + image +
                        ": pinging container registry quay.io: Get \"https://quay.io/v2/\": dial tcp: lookup quay.io: "
                        "i/o timeout") == 1);
  // kubectl's STATUS once the first init container that cannot get its image is reached.
  CHECK(testing::run_until_true(cluster, cluster.now() + 60, [&] {
          return sim::commands::pod_status_reason(*launcher_of(cluster, "vm1")) == "Init:ErrImagePull";
        }, 0.1) > 0);
  cluster.run_until(cluster.now() + 5);
  const auto status = cluster.store().get<models::VirtualMachine>("default", "vm1")->status.printableStatus;
  CHECK((status == "ErrImagePull" || status == "ImagePullBackOff"));
  CHECK(testing::run_ok(exec, "registry recover") == "image registry reachable again\n");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] {
            return cluster.store().get<models::VirtualMachine>("default", "vm1")->status.printableStatus == "Running";
          }, 0.1) > 0);
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
  CHECK_FALSE(models::find_condition(vmi->status.conditions, "Synchronized"));
  cluster.shutdown();
}
