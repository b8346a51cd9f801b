// spec.accessCredentials: SSH keys from a Secret reach the guest through
// cloud-init's meta-data (noCloud) or through the guest agent, written by
// virt-launcher once the agent answers and again when the Secret changes; a
// missing Secret holds the launcher pod with kubelet's FailedMount; virt-api
// refuses a propagation its cloud-init volume is missing for. Also the guest
// reading cloud-init network data from networkDataSecretRef.
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::line_beginning_with;
using testing::run_ok;

namespace {

constexpr const char* kTraineeKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHtrainee trainee@lab";
constexpr const char* kSecondKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKsecond second@lab";

// A Fedora VM (its image runs qemu-guest-agent) with cloud-init user data, and one
// access credential from Secret my-keys propagated by `method`.
std::string cred_vm(const std::string& name, const std::string& method, const std::string& cloud_init_volume = "cloudInitNoCloud") {
  return "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  runStrategy: Always\n  template:\n    spec:\n"
         "      accessCredentials:\n      - sshPublicKey:\n          source: {secret: {secretName: my-keys}}\n"
         "          propagationMethod: " + method + "\n"
         "      domain:\n        devices:\n          disks:\n          - {name: rootdisk, disk: {bus: virtio}}\n"
         "          - {name: cloudinitdisk, disk: {bus: virtio}}\n"
         "        resources: {requests: {memory: 1Gi}}\n      volumes:\n"
         "      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}\n"
         "      - name: cloudinitdisk\n        " + cloud_init_volume + ":\n          userData: |\n"
         "            #cloud-config\n            user: trainee\n";
}

const models::Condition* cred_condition(sim::cluster::Cluster& cluster, const std::string& vmi) {
  auto v = testing::vmi(cluster, vmi);
  return v ? models::find_condition(v->status.conditions, "AccessCredentialsSynchronized") : nullptr;
}

}  // namespace

TEST_CASE("an SSH key propagated through noCloud is in the cloud-init user's authorized_keys at boot") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  run_ok(ex, "create secret generic my-keys --from-literal=key1='" + std::string(kTraineeKey) + "'");
  testing::apply_yaml(cluster, cred_vm("vm-nocloud", "{noCloud: {}}"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-nocloud"); }, 0.5) > 0);
  // The launcher pod mounts the Secret as upstream names the volume.
  bool mounted = false;
  for (const auto& v : testing::launcher_of(cluster, "vm-nocloud")->spec.volumes)
    if (v.name == "my-keys-access-cred" && v.secret.value("secretName", "") == "my-keys") mounted = true;
  CHECK(mounted);
  CHECK(run_ok(ex, "console vm-nocloud --exec 'cat ~/.ssh/authorized_keys'") == std::string(kTraineeKey) + "\n");
  CHECK(run_ok(ex, "console vm-nocloud --exec 'cat /home/trainee/.ssh/authorized_keys'") ==
        std::string(kTraineeKey) + "\n");
  auto other = ex.run("console vm-nocloud --exec 'cat /home/fedora/.ssh/authorized_keys'");
  CHECK(other.output == "cat: /home/fedora/.ssh/authorized_keys: No such file or directory\n");
  CHECK(other.error == "command terminated with exit code 1");
  // cloud-init read its meta-data once: a later change of the Secret does not reach the guest,
  // and nothing reports a sync (the condition is the guest agent's).
  run_ok(ex, "delete secret my-keys");
  run_ok(ex, "create secret generic my-keys --from-literal=key1='" + std::string(kSecondKey) + "'");
  cluster.run_until(cluster.now() + 60);
  CHECK(run_ok(ex, "console vm-nocloud --exec 'cat .ssh/authorized_keys'") == std::string(kTraineeKey) + "\n");
  CHECK(cred_condition(cluster, "vm-nocloud") == nullptr);
  cluster.shutdown();
}

TEST_CASE("an SSH key propagated through the guest agent is written once the agent connects, and rewritten when the Secret changes") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  run_ok(ex, "create secret generic my-keys --from-literal=key1='" + std::string(kTraineeKey) + "'");
  testing::apply_yaml(cluster, cred_vm("vm-ga", "{qemuGuestAgent: {users: [trainee]}}"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-ga"); }, 0.5) > 0);
  // Before the agent runs the guest has no key: the first check (15 s after the launcher
  // started its watcher) finds the agent offline.
  CHECK(ex.run("console vm-ga --exec 'cat ~/.ssh/authorized_keys'").error == "command terminated with exit code 1");
  const double offline = testing::run_until_true(cluster, cluster.now() + 30, [&] { return cred_condition(cluster, "vm-ga") != nullptr; }, 0.5);
  REQUIRE(offline > 0);
  CHECK(cred_condition(cluster, "vm-ga")->status == "False");
  CHECK(cred_condition(cluster, "vm-ga")->message == "Guest agent is offline");
  CHECK(cred_condition(cluster, "vm-ga")->reason.empty());
  // The agent connects 20 s after boot; the next check, 15 s after the first, applies the key.
  const double synced = testing::run_until_true(
      cluster, cluster.now() + 60,
      [&] { const auto* c = cred_condition(cluster, "vm-ga"); return c && c->status == "True"; }, 0.5);
  REQUIRE(synced > 0);
  CHECK(synced - offline == Approx(15).margin(0.6));
  const auto* agent = models::find_condition(testing::vmi(cluster, "vm-ga")->status.conditions, "AgentConnected");
  REQUIRE(agent);
  CHECK(agent->status == "True");
  CHECK(cred_condition(cluster, "vm-ga")->message.empty());
  CHECK(run_ok(ex, "console vm-ga --exec 'cat ~/.ssh/authorized_keys'") == std::string(kTraineeKey) + "\n");
  const auto described = run_ok(ex, "describe vmi vm-ga");
  INFO(described);
  CHECK(line_beginning_with(described, "  Warning  AccessCredentialsSyncFailed").ends_with("Guest agent is offline"));
  CHECK(line_beginning_with(described, "  Normal   AccessCredentialsSyncSuccess").find("virt-handler") != std::string::npos);

  // A second key in the Secret: seen at the next check, the file then holds both (one per line).
  run_ok(ex, "delete secret my-keys");
  run_ok(ex, "create secret generic my-keys --from-literal=key1='" + std::string(kTraineeKey) + "' --from-literal=key2='" +
                 kSecondKey + "'");
  const std::string both = std::string(kTraineeKey) + "\n" + kSecondKey + "\n";
  const double changed_at = cluster.now();
  const double rewritten = testing::run_until_true(
      cluster, cluster.now() + 30,
      [&] { return ex.run("console vm-ga --exec 'cat ~/.ssh/authorized_keys'").output == both; }, 0.5);
  REQUIRE(rewritten > 0);
  CHECK(rewritten - changed_at <= 15.5);
  cluster.shutdown();
}

TEST_CASE("a user password from a Secret set through the guest agent lets the user log in on the console") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  run_ok(ex, "create secret generic my-pws --from-literal=trainee=Pa55word");
  auto yaml = cred_vm("vm-pw", "{qemuGuestAgent: {users: [trainee]}}");
  // The credential becomes a password: same Secret mount, a different type.
  const auto from = yaml.find("      - sshPublicKey:");
  const auto to = yaml.find("      domain:");
  yaml.replace(from, to - from,
               "      - userPassword:\n          source: {secret: {secretName: my-pws}}\n"
               "          propagationMethod: {qemuGuestAgent: {}}\n");
  testing::apply_yaml(cluster, yaml);
  REQUIRE(testing::run_until_true(
              cluster, 180, [&] { const auto* c = cred_condition(cluster, "vm-pw"); return c && c->status == "True"; },
              0.5) > 0);
  CHECK(run_ok(ex, "console vm-pw").ends_with("vm-pw login: "));
  CHECK(run_ok(ex, "trainee") == "Password: ");
  CHECK(run_ok(ex, "Pa55word") == "[trainee@vm-pw ~]$ ");
  CHECK(run_ok(ex, "~.") == "\n");
  cluster.shutdown();
}

TEST_CASE("a VM whose access credential Secret is missing waits in ContainerCreating with FailedMount until it exists") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, cred_vm("vm-nokeys", "{noCloud: {}}"));
  cluster.run_until(60);
  auto pod = testing::launcher_of(cluster, "vm-nokeys");
  REQUIRE(pod);
  CHECK(pod->status.phase == "Pending");
  CHECK(testing::vmi(cluster, "vm-nokeys")->status.phase == "Scheduling");
  CHECK(line_beginning_with(run_ok(ex, "get vm"), "vm-nokeys ").find(" Starting ") != std::string::npos);
  const auto events = line_beginning_with(run_ok(ex, "describe pod " + pod->metadata.name), "  Warning  FailedMount");
  INFO(events);
  CHECK(events.ends_with("MountVolume.SetUp failed for volume \"my-keys-access-cred\" : secret \"my-keys\" not found"));

  run_ok(ex, "create secret generic my-keys --from-literal=key1='" + std::string(kTraineeKey) + "'");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return testing::vmi_running(cluster, "vm-nokeys"); },
                                  0.5) > 0);
  CHECK(run_ok(ex, "console vm-nokeys --exec 'cat ~/.ssh/authorized_keys'") == std::string(kTraineeKey) + "\n");
  cluster.shutdown();
}

TEST_CASE("virt-api refuses access credentials without the cloud-init volume or the users their propagation needs", "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  struct Row {
    std::string method, cloud_init_volume, error;
  };
  const std::vector<Row> rows = {
      {"{noCloud: {}}", "cloudInitConfigDrive",
       "spec.template.spec.accessCredentials[0].sshPublicKey.propagationMethod: spec.template.spec.accessCredentials[0] "
       "requires a noCloud volume to exist when the noCloud propagationMethod is in use."},
      {"{configDrive: {}}", "cloudInitNoCloud",
       "spec.template.spec.accessCredentials[0].sshPublicKey.propagationMethod: spec.template.spec.accessCredentials[0] "
       "requires a configDrive volume to exist when the configDrive propagationMethod is in use."},
      {"{qemuGuestAgent: {users: []}}", "cloudInitNoCloud",
       "spec.template.spec.accessCredentials[0].sshPublicKey.propagationMethod.qemuGuestAgent.users: "
       "spec.template.spec.accessCredentials[0] requires at least one user to be present in the users list"},
      {"{}", "cloudInitNoCloud",
       "spec.template.spec.accessCredentials[0].sshPublicKey.propagationMethod: spec.template.spec.accessCredentials[0] "
       "must have exactly one propagationMethod set"},
      {"{noCloud: {}, qemuGuestAgent: {users: [trainee]}}", "cloudInitNoCloud",
       "spec.template.spec.accessCredentials[0] must have exactly one propagationMethod set"},
  };
  for (const auto& row : rows) {
    const auto path = testing::write_file("cred-vm.yaml", cred_vm("vm-bad", row.method, row.cloud_init_volume));
    const auto out = ex.run("apply -f " + path);
    INFO(row.method << " -> " << out.error);
    CHECK(out.error.find(row.error) != std::string::npos);
    CHECK(out.output.empty());
  }
  CHECK_FALSE(cluster.store().get<models::VirtualMachine>("default", "vm-bad"));
  cluster.shutdown();
}

TEST_CASE("the guest reads its network config from networkDataSecretRef: cloud-init's copy and the static address") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto network = testing::write_file(
      "networkdata", "version: 2\nethernets:\n  eth0:\n    addresses: [192.168.100.10/24]\n    gateway4: 192.168.100.1\n");
  run_ok(ex, "create secret generic vm-net-config --from-file=networkdata=" + network);
  auto yaml = cred_vm("vm-net", "{noCloud: {}}");
  const auto from = yaml.find("      accessCredentials:");
  yaml.erase(from, yaml.find("      domain:") - from);
  yaml += "          networkDataSecretRef: {name: vm-net-config}\n";
  testing::apply_yaml(cluster, yaml);
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-net"); }, 0.5) > 0);
  bool mounted = false;
  for (const auto& v : testing::launcher_of(cluster, "vm-net")->spec.volumes)
    if (v.name == "cloudinitdisk-ndata" && v.secret.value("secretName", "") == "vm-net-config") mounted = true;
  CHECK(mounted);
  CHECK(run_ok(ex, "console vm-net --exec 'cat /run/cloud-init/network-config.json'") ==
        "{\n \"ethernets\": {\n  \"eth0\": {\n   \"addresses\": [\n    \"192.168.100.10/24\"\n   ],\n"
        "   \"gateway4\": \"192.168.100.1\"\n  }\n },\n \"version\": 2\n}\n");
  CHECK(run_ok(ex, "console vm-net --exec 'ip -br a'").find("eth0             UP             192.168.100.10/24") !=
        std::string::npos);
  // The user data stayed inline: cloud-init's copy of it is root's to read.
  CHECK(run_ok(ex, "console vm-net --exec 'sudo cat /var/lib/cloud/instance/user-data.txt'") ==
        "#cloud-config\nuser: trainee\n");
  CHECK(ex.run("console vm-net --exec 'cat /var/lib/cloud/instance/user-data.txt'").output ==
        "cat: /var/lib/cloud/instance/user-data.txt: Permission denied\n");
  cluster.shutdown();
}

TEST_CASE("a VM from the fedora golden image with virtctl's --access-cred gets its key through the guest agent") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  cluster.run_until(0);
  run_ok(ex, "create secret generic my-keys '--from-literal=key1=" + std::string(kTraineeKey) + "'");
  // The golden image's clone names no distribution; its DataSource does, and Fedora's cloud
  // image runs qemu-guest-agent. cloud-init's default user there is fedora.
  run_ok(ex, "virtctl create vm --name fed --instancetype u1.medium --preference fedora --volume-import "
             "type:ds,src:openshift-virtualization-os-images/fedora,name:rootdisk "
             "--access-cred type:ssh,src:my-keys,user:fedora | apply -f -");
  REQUIRE(testing::run_until_true(
              cluster, 400, [&] { const auto* c = cred_condition(cluster, "fed"); return c && c->status == "True"; },
              0.5) > 0);
  CHECK(run_ok(ex, "console fed --exec whoami") == "fedora\n");
  CHECK(run_ok(ex, "console fed --exec 'cat ~/.ssh/authorized_keys'") == std::string(kTraineeKey) + "\n");
  cluster.shutdown();
}
