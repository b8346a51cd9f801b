// The launcher pod virt-controller renders for a VMI (template.go): the
// architecture and CPU-manager node selectors, dedicated CPUs in Guaranteed
// QoS, hook sidecars, the kernel boot container and hostDisk directories.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "models/pod.hpp"
#include "sim/kubevirt/launcher_pod.hpp"

using namespace kvsim;
using sim::kubevirt::launcher_pod;

namespace {

models::VirtualMachineInstance vmi_from(const std::string& spec_yaml, const std::string& annotations = "{}") {
  auto loaded = models::load_manifests(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata:
  name: v
  annotations: )" + annotations + R"(
spec:
)" + spec_yaml,
                                       "test.yaml");
  INFO(models::join_lines(loaded.problems));
  REQUIRE(loaded.ok());
  return static_cast<const models::VirtualMachineInstance&>(*loaded.objects.front());
}

}  // namespace

TEST_CASE("the launcher pod selects the VMI's architecture unless the VMI's own nodeSelector says otherwise") {
  auto vmi = vmi_from("  architecture: arm64\n  domain: {devices: {}, memory: {guest: 128Mi}}\n");
  auto pod = launcher_pod(vmi);
  CHECK(pod->spec.nodeSelector == std::map<std::string, std::string>{{"kubernetes.io/arch", "arm64"},
                                                                       {"kubevirt.io/schedulable", "true"}});
  vmi.spec.nodeSelector["kubernetes.io/arch"] = "amd64";
  CHECK(launcher_pod(vmi)->spec.nodeSelector.at("kubernetes.io/arch") == "amd64");
  vmi.spec.architecture.clear();
  vmi.spec.nodeSelector.clear();
  CHECK_FALSE(launcher_pod(vmi)->spec.nodeSelector.contains("kubernetes.io/arch"));
}

TEST_CASE("dedicated CPUs ask for a CPU-manager node and whole CPUs with limits equal to requests") {
  struct Row {
    const char* cpu;
    std::int64_t cpus;
  };
  const Row rows[] = {
      {"{cores: 1, dedicatedCpuPlacement: true}", 1},
      {"{cores: 1, dedicatedCpuPlacement: true, isolateEmulatorThread: true}", 2},
      {"{sockets: 2, cores: 2, threads: 2, dedicatedCpuPlacement: true}", 8},
  };
  for (const auto& r : rows) {
    INFO(r.cpu);
    auto pod = launcher_pod(vmi_from(std::string("  domain: {devices: {}, memory: {guest: 1Gi}, cpu: ") + r.cpu + "}\n"));
    CHECK(pod->spec.nodeSelector.at("cpumanager") == "true");
    const auto& res = pod->spec.containers.at(0).resources;
    CHECK(res.requests.at("cpu").units_ceil() == r.cpus);
    CHECK(res.limits.at("cpu").units_ceil() == r.cpus);
    CHECK(res.limits.at("memory") == res.requests.at("memory"));
  }
  auto shared = launcher_pod(vmi_from("  domain: {devices: {}, memory: {guest: 1Gi}, cpu: {cores: 4}}\n"));
  CHECK_FALSE(shared->spec.nodeSelector.contains("cpumanager"));
  CHECK_FALSE(shared->spec.containers.at(0).resources.limits.contains("cpu"));
}

TEST_CASE("each hook sidecar gets a container and a ConfigMap script is mounted at its hook path") {
  auto pod = launcher_pod(vmi_from(
      "  domain: {devices: {}, memory: {guest: 128Mi}}\n",
      R"({hooks.kubevirt.io/hookSidecars: '[{"image": "hook:1", "args": ["--version", "v1alpha2"]}, {"configMap": {"name": "cm", "key": "s.sh", "hookPath": "/usr/bin/onDefineDomain"}}]'})"));
  REQUIRE(pod->spec.containers.size() == 3);
  const auto& image_hook = pod->spec.containers[1];
  CHECK(image_hook.name == "hook-sidecar-0");
  CHECK(image_hook.image == "hook:1");
  CHECK(image_hook.args == std::vector<std::string>{"--version", "v1alpha2"});
  const auto& script_hook = pod->spec.containers[2];
  CHECK(script_hook.name == "hook-sidecar-1");
  CHECK(script_hook.image.find("sidecar-shim") != std::string::npos);
  REQUIRE(script_hook.volumeMounts.size() == 1);
  CHECK(script_hook.volumeMounts[0].name == "cm");
  CHECK(script_hook.volumeMounts[0].subPath == "s.sh");
  REQUIRE(pod->spec.volumes.size() == 1);
  CHECK(pod->spec.volumes[0].configMap.value("name", "") == "cm");
}

TEST_CASE("a hook sidecar annotation of the wrong shape or nested too deep renders without crashing") {
  // A number where the image goes: the sidecar runs the shim image, as with no image.
  auto pod = launcher_pod(vmi_from("  domain: {devices: {}, memory: {guest: 128Mi}}\n",
                                   R"({hooks.kubevirt.io/hookSidecars: '[{"image": 5, "configMap": {"name": 1}}]'})"));
  REQUIRE(pod->spec.containers.size() == 2);
  CHECK(pod->spec.containers[1].image.find("sidecar-shim") != std::string::npos);
  // Past the depth cap the list is unreadable: no sidecar.
  pod = launcher_pod(vmi_from("  domain: {devices: {}, memory: {guest: 128Mi}}\n",
                              "{hooks.kubevirt.io/hookSidecars: '" + std::string(200, '[') + std::string(200, ']') + "'}"));
  CHECK(pod->spec.containers.size() == 1);
}

TEST_CASE("a kernel boot container and a hostDisk directory join the launcher pod") {
  auto pod = launcher_pod(vmi_from(R"(  domain:
    devices: {}
    memory: {guest: 1Gi}
    firmware: {kernelBoot: {container: {image: "kernels:1", kernelPath: /boot/vmlinuz}}}
  volumes:
  - name: hd
    hostDisk: {path: /var/data/disk.img, type: DiskOrCreate, capacity: 1Gi}
)"));
  REQUIRE(pod->spec.containers.size() == 2);
  CHECK(pod->spec.containers[1].name == "volumekernel-boot-volume");
  CHECK(pod->spec.containers[1].image == "kernels:1");
  REQUIRE(pod->spec.volumes.size() == 1);
  CHECK(pod->spec.volumes[0].name == "hd");
  REQUIRE(pod->spec.volumes[0].hostPath);
  CHECK(pod->spec.volumes[0].hostPath->path == "/var/data");
}

TEST_CASE("the compute container asks for the guest's memory plus upstream's overhead, and vCPUs over the allocation ratio") {
  // Rows from KubeVirt v1.5 renderresources.go GetMemoryOverhead and WithoutDedicatedCPU:
  // page tables (guest/512) + 220Mi fixed + 8Mi per vCPU + 8Mi IOThread + 16Mi video
  // (+1Gi VFIO, +128Mi arm64, +53Mi TPM, -16Mi without a graphics device); CPU vCPUs / 10.
  struct Row {
    const char* spec;
    const char* memory;
    const char* cpu;
  };
  const Row rows[] = {
      {"  domain: {devices: {}, resources: {requests: {memory: 1Gi}}}\n", "1278Mi", "100m"},
      {"  domain: {devices: {}, cpu: {cores: 4}, resources: {requests: {memory: 8Gi}}}\n", "8484Mi", "400m"},
      {"  domain: {devices: {}, cpu: {sockets: 2, cores: 2, threads: 2}, memory: {guest: 2Gi}}\n", "2360Mi", "800m"},
      {"  domain: {devices: {autoattachGraphicsDevice: false}, resources: {requests: {memory: 1Gi}}}\n", "1262Mi",
       "100m"},
      {"  architecture: arm64\n  domain: {devices: {}, resources: {requests: {memory: 1Gi}}}\n", "1406Mi", "100m"},
      {"  domain: {devices: {tpm: {}}, resources: {requests: {memory: 1Gi}}}\n", "1331Mi", "100m"},
      // The VMI's own CPU request wins over the calculated one; sockets follow it.
      {"  domain: {devices: {}, resources: {requests: {memory: 1Gi, cpu: 2}}}\n", "1286Mi", "2"},
      {"  domain:\n    devices: {interfaces: [{name: default, masquerade: {}}, {name: vf, sriov: {}}]}\n"
       "    resources: {requests: {memory: 1Gi}}\n"
       "  networks: [{name: default, pod: {}}, {name: vf, multus: {networkName: sriov-network}}]\n",
       "2302Mi", "100m"},
  };
  for (const auto& r : rows) {
    INFO(r.spec);
    const auto pod = launcher_pod(vmi_from(r.spec));
    const auto& res = pod->spec.containers.at(0).resources;
    CHECK(res.requests.at("memory").text() == r.memory);
    CHECK(res.requests.at("cpu") == *models::Quantity::parse(r.cpu));
    // Added onto nothing, the overhead keeps its decimal suffix (Quantity.Add): 50M, not 50000000.
    CHECK(res.requests.at("ephemeral-storage").text() == "50M");
    CHECK_FALSE(res.limits.contains("memory"));
  }
  // overcommitGuestOverhead leaves the overhead out of the request, never out of a limit.
  const auto pod = launcher_pod(vmi_from(
      "  domain: {devices: {}, resources: {overcommitGuestOverhead: true, requests: {memory: 1Gi}, limits: {memory: 2Gi}}}\n"));
  const auto& res = pod->spec.containers.at(0).resources;
  CHECK(res.requests.at("memory").text() == "1Gi");
  CHECK(res.limits.at("memory").text() == "2302Mi");
}

TEST_CASE("containerDisk containers request 1m, 1M and 50M of ephemeral storage, with 10m and 40M limits") {
  const auto pod = launcher_pod(vmi_from(
      "  domain: {devices: {}, memory: {guest: 128Mi}}\n"
      "  volumes: [{name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}]\n"));
  REQUIRE(pod->spec.containers.size() == 2);
  const auto& disk = pod->spec.containers.at(1);
  CHECK(disk.name == "volumerootdisk");
  CHECK(disk.resources.requests.at("cpu").text() == "1m");
  CHECK(disk.resources.requests.at("memory").text() == "1M");
  CHECK(disk.resources.requests.at("ephemeral-storage").text() == "50M");
  CHECK(disk.resources.limits.at("cpu").text() == "10m");
  CHECK(disk.resources.limits.at("memory").text() == "40M");
  REQUIRE(pod->spec.initContainers.size() == 2);
  CHECK(pod->spec.initContainers.at(0).name == "container-disk-binary");
  CHECK(pod->spec.initContainers.at(0).resources.limits.at("cpu").text() == "100m");
  CHECK(pod->spec.initContainers.at(1).resources.requests.at("ephemeral-storage").text() == "50M");
  // The pod as the scheduler counts it: the containers' sum (init containers are smaller).
  const auto total = models::pod_requests(pod->spec);
  CHECK(total.at("ephemeral-storage").text() == "100000000");
}

TEST_CASE("the launcher pod's annotations: the domain, the VMI's own, migration transport, evict-only, Velero hooks") {
  auto vmi = vmi_from("  domain: {devices: {}, memory: {guest: 128Mi}}\n",
                      "{kubevirt.io/vm-generation: '3', team: blue, kubectl.kubernetes.io/last-applied-configuration: '{}',"
                      " kubevirt.io/latest-observed-api-version: v1}");
  vmi.metadata.namespace_ = "prod";
  const auto pod = launcher_pod(vmi);
  // KubeVirt v1.5 generatePodAnnotations and the storage annotations generator, nothing else
  // (no Multus networks here); kubectl's and the observed-API-version annotations stay off the pod.
  CHECK(pod->metadata.annotations ==
        std::map<std::string, std::string>{
            {"descheduler.alpha.kubernetes.io/request-evict-only", ""},
            {"kubectl.kubernetes.io/default-container", "compute"},
            {"kubevirt.io/domain", "v"},
            {"kubevirt.io/migrationTransportUnix", "true"},
            {"kubevirt.io/vm-generation", "3"},
            {"post.hook.backup.velero.io/command",
             R"(["/usr/bin/virt-freezer", "--unfreeze", "--name", "v", "--namespace", "prod"])"},
            {"post.hook.backup.velero.io/container", "compute"},
            {"pre.hook.backup.velero.io/command",
             R"(["/usr/bin/virt-freezer", "--freeze", "--name", "v", "--namespace", "prod"])"},
            {"pre.hook.backup.velero.io/container", "compute"},
            {"team", "blue"},
        });
}
