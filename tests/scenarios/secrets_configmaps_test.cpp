// Secrets and ConfigMaps through the shell: `create secret generic` and
// `create configmap` with kubectl's spelling and errors, then get, describe,
// -o yaml and delete; and a VM whose cloud-init user data is in a Secret,
// held in ContainerCreating with kubelet's FailedMount until the Secret exists,
// whose guest then has the user that user data makes.
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::line_beginning_with;
using testing::run_ok;

namespace {

// The error a command line gives (failing the test if it succeeds).
std::string run_refused(sim::commands::Executor& ex, const std::string& line) {
  auto out = ex.run(line);
  INFO(line << " -> " << out.output);
  REQUIRE_FALSE(out.ok());
  return out.error;
}

const char* kCloudInitFromSecretVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-ci, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks:
          - {name: rootdisk, disk: {bus: virtio}}
          - {name: cloudinitdisk, disk: {bus: virtio}}
        resources: {requests: {memory: 128Mi}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}
      - name: cloudinitdisk
        cloudInitNoCloud:
          secretRef: {name: vm-ci-userdata}
)";

}  // namespace

TEST_CASE("create secret generic stores base64 data that get, describe and -o yaml show as kubectl does") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto key_file = testing::write_file("id_ed25519.pub", "ssh-ed25519 AAAAC3Nza trainee@lab\n");
  CHECK(run_ok(ex, "create secret generic db-creds --from-literal=username=admin --from-literal=password=s3cr=t "
                   "--from-file=" + key_file) == "secret/db-creds created\n");
  auto stored = cluster.store().get<models::Secret>("default", "db-creds");
  REQUIRE(stored);
  CHECK(stored->type == "Opaque");
  CHECK(stored->value("password") == std::optional<std::string>("s3cr=t"));
  const std::string file_key = key_file.substr(key_file.rfind('/') + 1);
  CHECK(stored->value(file_key) == std::optional<std::string>("ssh-ed25519 AAAAC3Nza trainee@lab\n"));

  cluster.run_until(cluster.now() + 90);
  const auto table = run_ok(ex, "get secrets");
  CHECK(table.starts_with("NAME       TYPE     DATA   AGE\n"));
  CHECK(table.find("db-creds   Opaque   3      90s\n") != std::string::npos);

  const auto text = run_ok(ex, "describe secret db-creds");
  CHECK(text.find("Type:  Opaque\n\nData\n====\n") != std::string::npos);
  // Values align after the longest key (the file's name).
  const std::string pad(file_key.size() - std::string("password").size() + 2, ' ');
  CHECK(text.find("password:" + pad + "6 bytes\n") != std::string::npos);
  CHECK(text.find("username:" + pad + "5 bytes\n") != std::string::npos);
  CHECK(text.find(file_key + ":  34 bytes\n") != std::string::npos);
  CHECK(text.find("s3cr=t") == std::string::npos);
  CHECK(text.find("Events:") == std::string::npos);

  const auto yaml = run_ok(ex, "get secret db-creds -o yaml");
  CHECK(yaml.find("  password: czNjcj10\n") != std::string::npos);
  CHECK(yaml.find("  username: YWRtaW4=\n") != std::string::npos);
  CHECK(yaml.find("type: Opaque\n") != std::string::npos);

  CHECK(run_ok(ex, "delete secret db-creds") == "secret \"db-creds\" deleted\n");
  CHECK_FALSE(cluster.store().get<models::Secret>("default", "db-creds"));
  cluster.shutdown();
}

TEST_CASE("create configmap keeps text values that describe prints in full") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto props = testing::write_file("app.properties", "color=blue\n");
  CHECK(run_ok(ex, "create configmap app-config --from-literal=mode=fast --from-file=" + props) ==
        "configmap/app-config created\n");
  const auto row = line_beginning_with(run_ok(ex, "get cm"), "app-config ");
  CHECK(row.find(" 2 ") != std::string::npos);
  CHECK(row.ends_with(" 0s"));
  const auto text = run_ok(ex, "describe configmap app-config");
  const std::string key = props.substr(props.rfind('/') + 1);
  CHECK(text.find(key + ":\n----\ncolor=blue\n\n\nmode:") != std::string::npos);
  CHECK(text.find("mode:\n----\nfast\n\n\nBinaryData\n====\n\nEvents:  <none>\n") != std::string::npos);
  cluster.shutdown();
}

TEST_CASE("create secret and configmap refuse bad sources with kubectl's errors and store nothing", "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  CHECK(run_refused(ex, "create secret generic s --from-literal=abc") ==
        "error: invalid literal source abc, expected key=value");
  CHECK(run_refused(ex, "create secret generic s --from-literal==1") ==
        "error: invalid literal source =1, expected key=value");
  CHECK(run_refused(ex, "create secret generic s --from-literal=a=1 --from-literal=a=2") ==
        "error: cannot add key a, another key by that name already exists");
  CHECK(run_refused(ex, "create secret generic s '--from-literal=a b=1'") ==
        "error: \"a b\" is not valid key name for a Secret a valid config key must consist of alphanumeric "
        "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation "
        "is '[-._a-zA-Z0-9]+')");
  CHECK(run_refused(ex, "create secret generic s --from-file=/nonexistent/key.pub") ==
        "error: error reading /nonexistent/key.pub: no such file or directory");
  CHECK(run_refused(ex, "create secret generic s --from-file==/tmp/x") == "error: key name for file path /tmp/x missing");
  CHECK(run_refused(ex, "create secret generic --from-literal=a=1") == "error: exactly one NAME is required, got 0");
  CHECK(run_refused(ex, "create secret generic s --bogus") == "error: unknown flag: --bogus");
  CHECK(run_refused(ex, "create configmap c --from-literal=x=1 --from-literal=x=2") ==
        "error: cannot add key \"x\", another key by that name already exists in Data for ConfigMap \"c\"");
  CHECK(run_refused(ex, "create configmap c --from-literal=x") == "error: invalid literal source x, expected key=value");
  CHECK(run_refused(ex, "create secret generic Bad_Name --from-literal=a=1")
            .starts_with("error: failed to create secret Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: "
                         "\"Bad_Name\": a lowercase RFC 1123 subdomain"));
  CHECK(cluster.store().list(models::Secret::kind_info()).empty());
  CHECK(cluster.store().list(models::ConfigMap::kind_info(), "default").empty());

  run_ok(ex, "create secret generic s --from-literal=a=1");
  CHECK(run_refused(ex, "create secret generic s --from-literal=a=2") ==
        "error: failed to create secret secrets \"s\" already exists");
  CHECK(cluster.store().get<models::Secret>("default", "s")->value("a") == std::optional<std::string>("1"));
  cluster.shutdown();
}

TEST_CASE("a VM whose cloud-init Secret is missing waits in ContainerCreating with kubelet's FailedMount until it exists") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, kCloudInitFromSecretVm);
  cluster.run_until(60);
  auto pod = testing::launcher_of(cluster, "vm-ci");
  REQUIRE(pod);
  CHECK(pod->status.phase == "Pending");
  CHECK_FALSE(pod->spec.nodeName.empty());
  bool udata_volume = false;
  for (const auto& v : pod->spec.volumes)
    if (v.name == "cloudinitdisk-udata" && v.secret.value("secretName", "") == "vm-ci-userdata") udata_volume = true;
  CHECK(udata_volume);
  CHECK(testing::vmi(cluster, "vm-ci")->status.phase == "Scheduling");
  // Upstream has no printable status for a pod that cannot mount: the VM stays Starting.
  CHECK(line_beginning_with(run_ok(ex, "get vm"), "vm-ci ").find(" Starting ") != std::string::npos);
  const std::string pod_name = pod->metadata.name;
  // Its init containers wait for the volumes too: kubectl prints Init:0/N.
  CHECK(line_beginning_with(run_ok(ex, "get pods"), pod_name).find("Init:0/2") != std::string::npos);
  const auto events = line_beginning_with(run_ok(ex, "describe pod " + pod_name), "  Warning  FailedMount");
  CHECK(events.find("kubelet") != std::string::npos);
  CHECK(events.ends_with("MountVolume.SetUp failed for volume \"cloudinitdisk-udata\" : secret \"vm-ci-userdata\" "
                         "not found"));
  // Retried with backoff (0.5 s doubling): failures 0, 0.5, 1.5, 3.5, 7.5, 15.5 and
  // 31.5 s after the pod reached its node, the next at 63.5 s.
  INFO(events);
  CHECK(events.find("  28s (x7 over 60s)  ") != std::string::npos);

  const auto user_data = testing::write_file("vm-ci-userdata", "#cloud-config\nuser: trainee\npassword: s3cr3t\n");
  run_ok(ex, "create secret generic vm-ci-userdata --from-file=userdata=" + user_data);
  CHECK(testing::run_until_true(cluster, cluster.now() + 120, [&] { return testing::vmi_running(cluster, "vm-ci"); },
                                0.5) > 0);
  // The guest booted with the Secret's user data: cloud-init made its user.
  CHECK(run_ok(ex, "console vm-ci --exec whoami") == "trainee\n");
  cluster.shutdown();
}

TEST_CASE("a cloud-init Secret without a userdata key fails virt-launcher's sync until the key is added", "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  // The Secret exists, so the pod mounts it and runs; it just holds no userdata (or userData).
  run_ok(ex, "create secret generic vm-ci-userdata --from-literal=password=s3cr3t");
  testing::apply_yaml(cluster, kCloudInitFromSecretVm);
  cluster.run_until(60);
  auto pod = testing::launcher_of(cluster, "vm-ci");
  REQUIRE(pod);
  CHECK(pod->status.phase == "Running");
  auto v = testing::vmi(cluster, "vm-ci");
  CHECK(v->status.phase == "Scheduled");
  // virt-launcher's preStartHook found no data, so the domain was never defined; virt-handler
  // reports the launcher's error quoted, as its command client does (%q).
  const std::string launcher_error =
      "ReadCloudInitVolumeDataSource failed: userDataBase64, userData, networkDataBase64 or networkData is required "
      "for a cloud-init data source";
  const auto* sync = models::find_condition(v->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK(sync->status == "False");
  CHECK(sync->reason == "Synchronizing with the Domain failed.");
  CHECK(sync->message == "server error. command SyncVMI failed: \"" + launcher_error + "\"");
  const auto described = run_ok(ex, "describe vmi vm-ci");
  const auto failed = line_beginning_with(described, "  Warning  SyncFailed");
  INFO(described);
  CHECK(failed.find("virt-handler") != std::string::npos);
  CHECK(failed.ends_with("server error. command SyncVMI failed: \"" + launcher_error + "\""));
  CHECK(line_beginning_with(run_ok(ex, "get vm"), "vm-ci ").find(" Starting ") != std::string::npos);

  // With the key, the next retry defines the domain and the guest boots with the user.
  run_ok(ex, "delete secret vm-ci-userdata");
  const auto user_data = testing::write_file("vm-ci-userdata", "#cloud-config\nuser: trainee\n");
  run_ok(ex, "create secret generic vm-ci-userdata --from-file=userdata=" + user_data);
  CHECK(testing::run_until_true(cluster, cluster.now() + 120, [&] { return testing::vmi_running(cluster, "vm-ci"); },
                                0.5) > 0);
  CHECK(run_ok(ex, "console vm-ci --exec whoami") == "trainee\n");
  cluster.shutdown();
}
