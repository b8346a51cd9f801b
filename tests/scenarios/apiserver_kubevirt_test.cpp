// virt-api's subresources on kvsim's API endpoint (issue 16, item 8), through
// apiserver::Handler as the transport hands it requests: the VM verbs and their
// 409s as Status bodies, migrate, pause/unpause, the guest agent's reports, and
// the serial console as a WebSocket stream.
#include "api_requests.hpp"
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"
#include "sim/apiserver/handler.hpp"

using namespace kvsim;
using sim::apiserver::Handler;
using sim::apiserver::Request;
using testing::vmi;
using testing::when_phase;

namespace {

constexpr const char* kBase = "/apis/subresources.kubevirt.io/v1/namespaces/default/";

constexpr const char* kCirros = testing::kCirrosImage;

Request request(const std::string& method, const std::string& path, const std::string& body = {}) {
  Request r;
  r.method = method;
  r.path = path;
  r.body = body;
  r.content_type = "application/json";
  return r;
}

sim::apiserver::Response put(Handler& h, const std::string& what, const std::string& body = {}) {
  return h.handle(request("PUT", kBase + what, body)).response;
}

models::Json json_of(const sim::apiserver::Response& r) { return models::Json::parse(r.body, nullptr, false); }

}  // namespace

TEST_CASE("PUT start on a stopped VM answers 202 and its VMI runs, start again and stop twice answer virt-api's 409s") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Halted", kCirros));
  cluster.run_until(5);
  auto r = put(h, "virtualmachines/vm1/start");
  CHECK(r.status == 202);
  CHECK(r.body.empty());
  REQUIRE(when_phase(cluster, "vm1", "Running", 120) > 0);
  r = put(h, "virtualmachines/vm1/start");
  CHECK(r.status == 409);
  const auto status = json_of(r);
  CHECK(status["kind"] == "Status");
  CHECK(status["reason"] == "Conflict");
  CHECK(status["message"] == "Operation cannot be fulfilled on virtualmachine.kubevirt.io \"vm1\": VM is already running");
  CHECK(put(h, "virtualmachines/vm1/stop").status == 202);
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->run_strategy() == "Halted");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return !vmi(cluster, "vm1"); }) > 0);
  r = put(h, "virtualmachines/vm1/stop");
  CHECK(r.status == 409);
  CHECK(json_of(r)["message"] == "Operation cannot be fulfilled on virtualmachine.kubevirt.io \"vm1\": VM is not running");
  // No such VM: virt-api's NotFound, with its singular resource name.
  r = put(h, "virtualmachines/nope/start");
  CHECK(r.status == 404);
  CHECK(json_of(r)["message"] == "virtualmachine.kubevirt.io \"nope\" not found");
  // A body that does not decode: 400, before anything is read.
  r = put(h, "virtualmachines/vm1/stop", R"({"gracePeriod": "soon"})");
  CHECK(r.status == 400);
  CHECK(json_of(r)["message"] ==
        "Can not unmarshal Request body to struct, error: json: cannot unmarshal string into Go struct field "
        "StopOptions.gracePeriod of type int64");
  // dryRun checks and answers, and changes nothing.
  CHECK(put(h, "virtualmachines/vm1/start", R"({"dryRun": ["All"]})").status == 202);
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->run_strategy() == "Halted");
  cluster.shutdown();
}

TEST_CASE("PUT migrate creates a VirtualMachineInstanceMigration for the running VMI, and 409 when it is not running") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("mover", "Always", kCirros));
  cluster.run_until(1);
  auto r = put(h, "virtualmachines/mover/migrate");
  CHECK(r.status == 409);
  CHECK(json_of(r)["message"] == "Operation cannot be fulfilled on virtualmachine.kubevirt.io \"mover\": VM is not running");
  REQUIRE(when_phase(cluster, "mover", "Running", 120) > 0);
  const auto source = vmi(cluster, "mover")->status.nodeName;
  CHECK(put(h, "virtualmachines/mover/migrate").status == 202);
  const auto migrations = cluster.store().list(models::VirtualMachineInstanceMigration::kind_info(), "default");
  REQUIRE(migrations.size() == 1);
  const auto& m = static_cast<const models::VirtualMachineInstanceMigration&>(*migrations[0]);
  CHECK(m.spec.vmiName == "mover");
  CHECK(m.metadata.name.rfind("kubevirt-migrate-vm-", 0) == 0);
  // The migration really happens: the VMI ends on another node.
  CHECK(testing::run_until_true(cluster, cluster.now() + 120, [&] {
          auto vmi = testing::vmi(cluster, "mover");
          return vmi && vmi->status.nodeName != source && vmi->status.phase == "Running";
        }) > 0);
  cluster.shutdown();
}

TEST_CASE("PUT pause and unpause answer 200 and set and clear the VMI's Paused condition") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", kCirros));
  REQUIRE(when_phase(cluster, "vm1", "Running", 120) > 0);
  auto r = put(h, "virtualmachineinstances/vm1/unpause");
  CHECK(r.status == 409);
  CHECK(json_of(r)["message"] == "Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io \"vm1\": VMI is not paused");
  CHECK(put(h, "virtualmachineinstances/vm1/pause").status == 200);
  auto paused = [&] { return models::find_condition(vmi(cluster, "vm1")->status.conditions, "Paused") != nullptr; };
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 5, paused) > 0);
  r = put(h, "virtualmachineinstances/vm1/pause");
  CHECK(r.status == 409);
  CHECK(json_of(r)["message"] == "Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io \"vm1\": VMI is already paused");
  CHECK(put(h, "virtualmachineinstances/vm1/unpause").status == 200);
  CHECK(testing::run_until_true(cluster, cluster.now() + 5, [&] { return !paused(); }) > 0);
  CHECK(put(h, "virtualmachineinstances/ghost/pause").status == 404);
  cluster.shutdown();
}

TEST_CASE("start with paused true starts the VMI paused, and stop with gracePeriod 0 destroys the guest at once") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Halted", kCirros));
  cluster.run_until(5);
  CHECK(put(h, "virtualmachines/vm1/start", R"({"paused": true})").status == 202);
  REQUIRE(when_phase(cluster, "vm1", "Running", 120) > 0);
  CHECK(vmi(cluster, "vm1")->spec.startStrategy == "Paused");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 5, [&] {
            const auto* c = models::find_condition(vmi(cluster, "vm1")->status.conditions, "Paused");
            return c && c->status == "True" && c->reason == "PausedByUser";
          }) > 0);
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->run_strategy() == "Always");
  CHECK(put(h, "virtualmachineinstances/vm1/unpause").status == 200);
  cluster.run_until(cluster.now() + 2);
  const auto uid = vmi(cluster, "vm1")->metadata.uid;
  // virtctl stop --grace-period=0 --force: the VMI's grace period becomes 0 first, so the
  // domain is destroyed rather than shut down (Failed, not Succeeded), without waiting.
  const double asked = cluster.now();
  CHECK(put(h, "virtualmachines/vm1/stop", R"({"gracePeriod": 0})").status == 202);
  CHECK(vmi(cluster, "vm1")->spec.terminationGracePeriodSeconds == std::optional<std::int64_t>(0));
  const double ended = testing::run_until_true(cluster, asked + 60, [&] {
    auto vmi = testing::vmi(cluster, "vm1");
    return !vmi || vmi->metadata.uid != uid || vmi->is_final();
  });
  REQUIRE(ended > 0);
  CHECK(ended - asked < 5);
  bool destroyed = false;
  for (const auto& rec : cluster.trace().records())
    if (rec.kind == "VirtualMachineInstance" && rec.name == "vm1" && rec.time >= asked &&
        rec.change.find("-> Failed") != std::string::npos)
      destroyed = true;
  CHECK(destroyed);
  // --grace-period without a VMI to shorten: a Halted VM refuses like a plain stop.
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 60, [&] { return !vmi(cluster, "vm1"); }) > 0);
  CHECK(put(h, "virtualmachines/vm1/stop", R"({"gracePeriod": 0})").status == 409);
  cluster.shutdown();
}

TEST_CASE("guestosinfo, userlist and filesystemlist answer what the guest agent reports, or virt-api's 500 without one") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("fedora", "Always", testing::kFedoraImage));
  testing::apply_yaml(cluster, testing::vm_yaml("cirros", "Always", kCirros));
  REQUIRE(when_phase(cluster, "fedora", "Running", 120) > 0);
  REQUIRE(when_phase(cluster, "cirros", "Running", 120) > 0);
  auto get = [&](const std::string& what) { return h.handle(request("GET", kBase + what)).response; };
  // CirrOS runs no guest agent: virt-api writes its refusal as plain text, with a 500.
  auto r = get("virtualmachineinstances/cirros/guestosinfo");
  CHECK(r.status == 500);
  CHECK(r.content_type.rfind("text/plain", 0) == 0);
  CHECK(r.body.find("Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io \"cirros\": VMI does not have "
                    "guest agent connected") == 0);
  // Fedora's agent connects a little after boot.
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 60, [&] {
            return models::find_condition(vmi(cluster, "fedora")->status.conditions, "AgentConnected") != nullptr;
          }) > 0);
  r = get("virtualmachineinstances/fedora/guestosinfo");
  REQUIRE(r.status == 200);
  const auto info = json_of(r);
  CHECK(info["hostname"] == "fedora");
  CHECK(info["os"]["prettyName"] == "Fedora Linux 40 (Cloud Edition)");
  CHECK(info["os"]["kernelRelease"] == "6.8.5-301.fc40.x86_64");
  r = get("virtualmachineinstances/fedora/userlist");
  REQUIRE(r.status == 200);
  CHECK(json_of(r)["items"].empty());
  r = get("virtualmachineinstances/fedora/filesystemlist");
  REQUIRE(r.status == 200);
  const auto fs = json_of(r)["items"];
  REQUIRE(fs.size() == 1);
  CHECK(fs[0]["mountPoint"] == "/");
  CHECK(fs[0]["fileSystemType"] == "btrfs");
  CHECK(fs[0]["totalBytes"] == 5368709120LL);
  cluster.shutdown();
}

TEST_CASE("the console WebSocket logs in, echoes what is typed and answers a command through the outbox") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", kCirros));
  Request console = request("GET", std::string(kBase) + "virtualmachineinstances/vm1/console");
  console.websocket = true;
  console.websocket_protocols = "plain.kubevirt.io";
  // Before the VMI runs virt-api answers 400 (which virtctl console retries on).
  cluster.run_until(0.5);
  auto early = h.handle(console);
  CHECK_FALSE(early.websocket);
  CHECK(early.response.status == 400);
  CHECK(json_of(early.response)["message"] == "VMI is not running");
  REQUIRE(when_phase(cluster, "vm1", "Running", 120) > 0);
  auto reply = h.handle(console);
  REQUIRE(reply.websocket);
  CHECK(reply.subprotocol == "plain.kubevirt.io");
  REQUIRE(reply.open_stream);
  auto outbox = std::make_shared<testing::FakeOutbox>();
  auto stream = reply.open_stream(outbox);
  REQUIRE(stream);
  CHECK(stream->poll());
  // A serial line shows nothing until Enter; then the getty's prompt.
  CHECK(outbox->take().empty());
  stream->input("\r");
  CHECK(outbox->take() == "\r\nlogin as 'cirros' user. default password: 'gocubsgo'. use 'sudo' for root.\r\nvm1 login: ");
  stream->input("cirros\r");
  CHECK(outbox->take() == "cirros\r\nPassword: ");
  stream->input("gocubsgo\r");  // not echoed
  CHECK(outbox->take() == "\r\n$ ");
  stream->input("hostnamx\x7f" "e\r");
  CHECK(outbox->take() == "hostnamx\b \be\r\nvm1\r\n$ ");
  // Stopping the VM ends the stream.
  CHECK(put(h, "virtualmachines/vm1/stop").status == 202);
  const double closed = testing::run_until_true(cluster, cluster.now() + 120, [&] { return !stream->poll(); });
  CHECK(closed > 0);
  CHECK(outbox->closed);
  cluster.shutdown();
}

TEST_CASE("VNC of a simulated guest is refused with 501, naming the path a viewer's frames would take") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", kCirros));
  REQUIRE(when_phase(cluster, "vm1", "Running", 120) > 0);
  Request vnc = request("GET", std::string(kBase) + "virtualmachineinstances/vm1/vnc");
  vnc.websocket = true;
  vnc.websocket_protocols = "plain.kubevirt.io";
  auto reply = h.handle(vnc);
  CHECK_FALSE(reply.websocket);
  CHECK(reply.response.status == 501);
  const std::string message = json_of(reply.response)["message"];
  CHECK(message.find("no VNC server") != std::string::npos);
  CHECK(message.find("virt-handler on " + vmi(cluster, "vm1")->status.nodeName) != std::string::npos);
  cluster.shutdown();
}

TEST_CASE("with no virt-api pod serving the aggregator answers 503 service unavailable") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  Handler h(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", kCirros));
  cluster.run_until(30);
  const models::LabelSelector selector{{{"kubevirt.io", "virt-api"}}, {}};
  for (const auto& p : cluster.store().list(models::Pod::kind_info(), "openshift-cnv", &selector))
    testing::run_ok(exec, "delete pod " + p->metadata.name + " -n openshift-cnv");
  auto r = put(h, "virtualmachines/vm1/stop");
  CHECK(r.status == 503);
  CHECK(r.content_type.rfind("text/plain", 0) == 0);
  CHECK(r.body == "service unavailable\n");
  // The shell reads it as client-go does.
  CHECK(exec.run("stop vm1").error ==
        "error stopping VirtualMachine the server is currently unable to handle the request (put "
        "virtualmachines.subresources.kubevirt.io vm1)");
  cluster.shutdown();
}

TEST_CASE("virtctl expose in the shell creates a Service selecting the VM's pods on its pod network's ports") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: web, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      networks:
      - {name: default, pod: {}}
      domain:
        devices:
          interfaces:
          - name: default
            masquerade: {}
            ports: [{port: 80}, {port: 443}]
          disks:
          - name: rootdisk
            disk: {bus: virtio}
        resources: {requests: {memory: 128Mi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
)");
  CHECK(testing::run_ok(exec, "virtctl expose vm web --name web-svc") == "Service web-svc successfully created for vm web\n");
  auto svc = cluster.store().get<models::Service>("default", "web-svc");
  REQUIRE(svc);
  CHECK(svc->spec.selector == std::map<std::string, std::string>{{"vm.kubevirt.io/name", "web"}});
  REQUIRE(svc->spec.ports.size() == 2);
  CHECK(svc->spec.ports[0].name == "port-1");
  CHECK(svc->spec.ports[1].port == 443);
  CHECK(exec.run("virtctl expose vm web --name web-svc").error ==
        "service creation failed: services \"web-svc\" already exists");
  CHECK(exec.run("virtctl expose vm nope --name x").error ==
        "error fetching VirtualMachine: virtualmachines.kubevirt.io \"nope\" not found");
  cluster.shutdown();
}

TEST_CASE("hybrid mode on libvirt's test driver: the console and VNC subresources say why there is nothing to stream") {
  auto options = testing::small_cluster_options();
  for (auto& node : options.platform.nodes) node.hypervisor = "test:///default";
  sim::cluster::Cluster cluster(options);
  Handler h(cluster);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1", "Always", kCirros));
  REQUIRE(testing::run_until_true(
              cluster, 120, [&] { return vmi(cluster, "vm1") && vmi(cluster, "vm1")->status.phase == "Running"; },
              0.5) > 0);
  for (const char* what : {"console", "vnc"}) {
    Request r = request("GET", std::string(kBase) + "virtualmachineinstances/vm1/" + what);
    r.websocket = true;
    auto reply = h.handle(r);
    INFO(what << ": " << reply.response.body);
    CHECK_FALSE(reply.websocket);
    CHECK(reply.response.status == 500);
    CHECK(json_of(reply.response)["message"].get<std::string>().rfind("Internal error occurred: dialing virt-handler: ", 0) == 0);
  }
  Request console = request("GET", std::string(kBase) + "virtualmachineinstances/vm1/console");
  console.websocket = true;
  CHECK(json_of(h.handle(console).response)["message"].get<std::string>().find("test driver") != std::string::npos);
  cluster.shutdown();
}
