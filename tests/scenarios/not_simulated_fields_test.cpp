// Real API fields kvsim accepts and keeps but does not simulate (declared
// `not_simulated` in the models; issue 19 item 7): a manifest that sets them is
// accepted, `get -o yaml` shows them back as written, and `describe` names the
// ones the object sets. A VM that sets none gets no note.
#include "models/manifest.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::run_ok;

namespace {

const char* kTunedVm = R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-tuned, namespace: default}
spec:
  runStrategy: Always
  updateVolumesStrategy: Migration
  template:
    spec:
      domain:
        ioThreadsPolicy: shared
        clock:
          utc: {}
          timer: {rtc: {tickPolicy: catchup}}
        memory: {guest: 1Gi}
        devices:
          rng: {}
          disks:
          - {name: rootdisk, disk: {bus: virtio}, blockSize: {matchVolume: {enabled: true}}}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: tuned}}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:41}}
)";

// The lines of describe's note, in the order the model declares the fields.
std::string note_of(const std::string& describe) {
  const auto at = describe.find("Not Simulated:\n");
  if (at == std::string::npos) return "";
  const auto end = describe.find("\nEvents:", at);
  return describe.substr(at, end == std::string::npos ? std::string::npos : end + 1 - at);
}

}  // namespace

TEST_CASE("a VM with fields kvsim does not simulate is accepted, shows them back, and describe names them") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, kTunedVm);
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-tuned"); }) > 0);

  const std::string yaml = run_ok(ex, "get vm vm-tuned -o yaml");
  CHECK(yaml.find("  updateVolumesStrategy: Migration\n") != std::string::npos);
  CHECK(yaml.find("        ioThreadsPolicy: shared\n") != std::string::npos);
  CHECK(yaml.find("          timer:\n            rtc:\n              tickPolicy: catchup\n") != std::string::npos);
  CHECK(yaml.find("          rng: {}\n") != std::string::npos);
  CHECK(yaml.find("blockSize:\n") != std::string::npos);
  CHECK(yaml.find("matchVolume:\n") != std::string::npos);
  CHECK(yaml.find("weight: 100\n") != std::string::npos);
  CHECK(yaml.find("topologyKey: kubernetes.io/hostname\n") != std::string::npos);

  CHECK(note_of(run_ok(ex, "describe vm vm-tuned")) ==
        "Not Simulated:\n"
        "  kvsim keeps these fields as written, but runs as if they were not set:\n"
        "    spec.template.spec.domain.clock\n"
        "    spec.template.spec.domain.devices.disks[0].blockSize\n"
        "    spec.template.spec.domain.devices.rng\n"
        "    spec.template.spec.domain.ioThreadsPolicy\n"
        "    spec.template.spec.affinity.podAntiAffinity\n"
        "    spec.updateVolumesStrategy\n");
  // The VMI carries the template's fields, and its describe says the same of them.
  const std::string vmi_note = note_of(run_ok(ex, "describe vmi vm-tuned"));
  CHECK(vmi_note.find("    spec.domain.ioThreadsPolicy\n") != std::string::npos);
  CHECK(vmi_note.find("    spec.affinity.podAntiAffinity\n") != std::string::npos);
  CHECK(vmi_note.find("updateVolumesStrategy") == std::string::npos);
}

TEST_CASE("a VM that sets no such field has no Not Simulated note") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-plain, namespace: default}
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        memory: {guest: 1Gi}
        devices: {}
)");
  const std::string out = run_ok(ex, "describe vm vm-plain");
  CHECK(out.find("Not Simulated") == std::string::npos);
  CHECK(run_ok(ex, "get vm vm-plain -o yaml").find("ioThreadsPolicy") == std::string::npos);
}

TEST_CASE("a Service's externalTrafficPolicy is accepted with Kubernetes' values, kept, and noted as not simulated") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
)");
  CHECK(run_ok(ex, "get svc web -o yaml").find("  externalTrafficPolicy: Local\n") != std::string::npos);
  const std::string out = run_ok(ex, "describe svc web");
  CHECK(out.find("Session Affinity:         None\nExternal Traffic Policy:  Local\nInternal Traffic Policy:  Cluster\n") !=
        std::string::npos);
  CHECK(note_of(out) ==
        "Not Simulated:\n"
        "  kvsim keeps these fields as written, but runs as if they were not set:\n"
        "    spec.externalTrafficPolicy\n");

  // Any other value is refused as the API server refuses a value outside an enum, located.
  const auto bad = models::load_manifests(
      "apiVersion: v1\nkind: Service\nmetadata: {name: web2}\nspec:\n  type: NodePort\n"
      "  externalTrafficPolicy: Nearest\n  ports: [{port: 80}]\n",
      "svc.yaml");
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].str() ==
        "svc.yaml:6:26: spec.externalTrafficPolicy: Unsupported value: \"Nearest\": supported values: Cluster, Local");
}
