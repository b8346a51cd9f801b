// kvsim's virtctl-compatible client, its pure parts: the verbs against a
// recording fake API (requests sent, messages printed), client-go's reading
// of refusals, kubeconfig parsing, virt-api's option bodies, the guest's line
// discipline on the console stream, and lab grading through an API.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "sim/apiserver/kubevirt_subresource_discovery.hpp"
#include "sim/client/api_errors.hpp"
#include "sim/client/api_objects.hpp"
#include "sim/client/kubeconfig.hpp"
#include "sim/client/virtctl_verbs.hpp"
#include "sim/guest/tty_line.hpp"
#include "sim/kubevirt/subresources/request_options.hpp"
#include "sim/lab/api_grading.hpp"
#include "models/registry.hpp"

using namespace kvsim;
using models::Json;
using sim::client::ApiResult;

namespace {

// Records each request; answers from a script keyed by "METHOD path".
class FakeApi final : public sim::client::KubeVirtApi {
 public:
  struct Call {
    std::string method, path, body;
  };
  std::vector<Call> calls;
  std::map<std::string, ApiResult> answers;

  ApiResult answer(const std::string& method, const std::string& path, const std::string& body) {
    calls.push_back({method, path, body});
    auto it = answers.find(method + " " + path);
    if (it != answers.end()) return it->second;
    ApiResult ok;
    ok.code = method == "PUT" ? 202 : 200;
    return ok;
  }
  ApiResult subresource(const std::string& method, const std::string& ns, const std::string& resource,
                        const std::string& name, const std::string& sub, const std::string& body) override {
    return answer(method, ns + "/" + resource + "/" + name + "/" + sub, body);
  }
  ApiResult kubevirt_version() override { return answer("GET", "version", ""); }
  ApiResult get(const std::string& api_version, const std::string& resource, const std::string& ns,
                const std::string& name) override {
    return answer("GET", api_version + "/" + ns + "/" + resource + "/" + name, "");
  }
  ApiResult create(const std::string& api_version, const std::string& resource, const std::string& ns,
                   const Json& object) override {
    return answer("POST", api_version + "/" + ns + "/" + resource, object.dump());
  }
};

ApiResult refused(int code, const std::string& message) {
  ApiResult r;
  r.code = code;
  r.error = message;
  return r;
}

sim::client::VerbResult run(FakeApi& api, std::vector<std::string> args, const std::string& ns = "default") {
  bool handled = false;
  auto r = sim::client::run_virtctl_verb(api, args, ns, handled);
  REQUIRE(handled);
  return r;
}

}  // namespace

TEST_CASE("virtctl start, stop and restart send virt-api's option bodies and print virtctl's messages") {
  FakeApi api;
  auto r = run(api, {"start", "vm1"});
  CHECK(r.output == "VM vm1 was scheduled to start\n");
  REQUIRE(api.calls.size() == 1);
  CHECK(api.calls[0].method == "PUT");
  CHECK(api.calls[0].path == "default/virtualmachines/vm1/start");
  CHECK(Json::parse(api.calls[0].body) == Json::object());
  r = run(api, {"start", "vm1", "--paused", "-n", "lab"});
  CHECK(api.calls.back().path == "lab/virtualmachines/vm1/start");
  CHECK(Json::parse(api.calls.back().body) == Json{{"paused", true}});
  // The namespace comes from the kubeconfig's context unless -n says otherwise.
  run(api, {"stop", "vm1"}, "team-a");
  CHECK(api.calls.back().path == "team-a/virtualmachines/vm1/stop");
  // --grace-period without --force is refused before any request, as virtctl does.
  const auto before = api.calls.size();
  r = run(api, {"stop", "vm1", "--grace-period=0"});
  CHECK(r.error == "Must both use --force=true and set --grace-period.");
  r = run(api, {"restart", "vm1", "--force"});
  CHECK(r.error == "Must both use --force=true and set --grace-period.");
  CHECK(api.calls.size() == before);
  r = run(api, {"stop", "vm1", "--grace-period", "0", "--force"});
  CHECK(r.output == "VM vm1 was scheduled to stop\n");
  CHECK(Json::parse(api.calls.back().body) == Json{{"gracePeriod", 0}});
  run(api, {"restart", "vm1", "--grace-period=0", "--force"});
  CHECK(Json::parse(api.calls.back().body) == Json{{"gracePeriodSeconds", 0}});
  r = run(api, {"migrate", "vm1", "--dry-run"});
  CHECK(r.output == "Dry Run execution\nVM vm1 was scheduled to migrate\n");
  CHECK(Json::parse(api.calls.back().body) == Json{{"dryRun", {"All"}}});
  r = run(api, {"start"});
  CHECK(r.error == "accepts 1 arg(s), received 0");
}

TEST_CASE("virtctl's error prefixes wrap the server's message, each verb its own way") {
  FakeApi api;
  const std::string conflict = "Operation cannot be fulfilled on virtualmachine.kubevirt.io \"vm1\": VM is not running";
  for (const auto* verb : {"start", "stop", "restart", "migrate"})
    api.answers[std::string("PUT default/virtualmachines/vm1/") + verb] = refused(409, conflict);
  CHECK(run(api, {"start", "vm1"}).error == "Error starting VirtualMachine " + conflict);
  CHECK(run(api, {"stop", "vm1"}).error == "error stopping VirtualMachine " + conflict);
  CHECK(run(api, {"stop", "vm1", "--force", "--grace-period=0"}).error == "error force stopping VirtualMachine: " + conflict);
  CHECK(run(api, {"restart", "vm1"}).error == "error restarting VirtualMachine: " + conflict);
  CHECK(run(api, {"migrate", "vm1"}).error == "Error migrating VirtualMachine " + conflict);
}

TEST_CASE("virtctl pause vm reads the VM first and explains a missing VMI by its run strategy") {
  FakeApi api;
  api.answers["GET kubevirt.io/v1/default/virtualmachines/gone"] = refused(404, "virtualmachines.kubevirt.io \"gone\" not found");
  CHECK(run(api, {"pause", "vm", "gone"}).error ==
        "Error getting VirtualMachine gone: virtualmachines.kubevirt.io \"gone\" not found");
  ApiResult halted;
  halted.code = 200;
  halted.body = {{"spec", {{"runStrategy", "Halted"}}}};
  api.answers["GET kubevirt.io/v1/default/virtualmachines/vm1"] = halted;
  api.answers["PUT default/virtualmachineinstances/vm1/pause"] = refused(404, "virtualmachineinstance.kubevirt.io \"vm1\" not found");
  CHECK(run(api, {"pause", "vm", "vm1"}).error == "Error pausing VirtualMachineInstance vm1. VirtualMachine vm1 is not set to run");
  halted.body = {{"spec", {{"running", true}}}};
  api.answers["GET kubevirt.io/v1/default/virtualmachines/vm1"] = halted;
  CHECK(run(api, {"pause", "vm", "vm1"}).error == "Error pausing VirtualMachineInstance vm1, it was not found");
  CHECK(run(api, {"unpause", "VMI", "other"}).output == "VMI other was scheduled to unpause\n");
  CHECK(run(api, {"pause", "pod", "x"}).error == "unsupported resource type: pod (expected vm or vmi)");
}

TEST_CASE("virtctl guestosinfo prints the agent's JSON indented, and fslist asks for filesystemlist") {
  FakeApi api;
  ApiResult info;
  info.code = 200;
  info.body = {{"hostname", "vm1"}, {"os", {{"id", "fedora"}}}};
  api.answers["GET default/virtualmachineinstances/vm1/guestosinfo"] = info;
  CHECK(run(api, {"guestosinfo", "vm1"}).output == "{\n  \"hostname\": \"vm1\",\n  \"os\": {\n    \"id\": \"fedora\"\n  }\n}\n");
  run(api, {"fslist", "vm1"});
  CHECK(api.calls.back().path == "default/virtualmachineinstances/vm1/filesystemlist");
  api.answers["GET default/virtualmachineinstances/vm1/userlist"] = refused(500, "boom");
  CHECK(run(api, {"userlist", "vm1"}).error == "Error listing users of VirtualMachineInstance vm1, boom");
}

TEST_CASE("virtctl expose creates a Service selecting the VM's pods with the ports of its pod network") {
  FakeApi api;
  CHECK(run(api, {"expose", "vm", "web"}).error == "required flag(s) \"name\" not set");
  ApiResult vm;
  vm.code = 200;
  vm.body = Json::parse(R"({"spec":{"template":{"spec":{"networks":[{"name":"default","pod":{}}],
      "domain":{"devices":{"interfaces":[{"name":"default","masquerade":{},"ports":[{"port":80},{"port":53,"protocol":"UDP"}]}]}}}}}})");
  api.answers["GET kubevirt.io/v1/default/virtualmachines/web"] = vm;
  auto r = run(api, {"expose", "vm", "web", "--name", "web-svc"});
  CHECK(r.output == "Service web-svc successfully created for vm web\n");
  const auto service = Json::parse(api.calls.back().body);
  CHECK(api.calls.back().path == "v1/default/services");
  CHECK(service["spec"]["selector"] == Json{{"vm.kubevirt.io/name", "web"}});
  CHECK(service["spec"]["type"] == "ClusterIP");
  CHECK(service["spec"]["ports"] == Json::parse(R"([{"name":"port-1","port":80,"protocol":"TCP"},
                                                   {"name":"port-2","port":53,"protocol":"UDP"}])"));
  r = run(api, {"expose", "vmi", "web", "--name", "ssh", "--port", "22", "--target-port", "2222", "--type", "NodePort"});
  const auto ssh = Json::parse(api.calls.back().body);
  CHECK(ssh["spec"]["ports"] == Json::parse(R"([{"port":22,"protocol":"TCP","targetPort":2222}])"));
  CHECK(ssh["spec"]["type"] == "NodePort");
  CHECK(run(api, {"expose", "vm", "web", "--name", "x", "--type", "ExternalName"}).error == "type: ExternalName not supported");
}

TEST_CASE("virtctl version prints client and server version.Info as Go's %#v does") {
  FakeApi api;
  ApiResult v;
  v.code = 200;
  v.body = {{"gitVersion", "v1.5.0"}, {"compiler", "kvsim"}, {"platform", "linux/amd64"}};
  api.answers["GET version"] = v;
  const auto out = run(api, {"version"}).output;
  CHECK(out.find("Client Version: version.Info{GitVersion:\"v1.5.0\", GitCommit:\"\"") == 0);
  CHECK(out.find("\nServer Version: version.Info{GitVersion:\"v1.5.0\", GitCommit:\"\", GitTreeState:\"\", BuildDate:\"\", "
                 "GoVersion:\"\", Compiler:\"kvsim\", Platform:\"linux/amd64\"}\n") != std::string::npos);
}

TEST_CASE("client-go's reading of a refusal: a Status's message, else the generic sentence for the code") {
  using sim::client::client_error_text;
  const sim::client::RequestTarget put{"put", "virtualmachines.subresources.kubevirt.io", "vm1"};
  CHECK(client_error_text(409, "application/json",
                          R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"VM is bad","code":409})", put) ==
        "VM is bad");
  CHECK(client_error_text(503, "text/plain; charset=utf-8", "service unavailable\n", put) ==
        "the server is currently unable to handle the request (put virtualmachines.subresources.kubevirt.io vm1)");
  CHECK(client_error_text(500, "text/plain", "Operation cannot be fulfilled on x \"y\": z", {"get", "r.g", "y"}) ==
        "an error on the server (\"Operation cannot be fulfilled on x \\\"y\\\": z\") has prevented the request from "
        "succeeding (get r.g y)");
  CHECK(client_error_text(404, "text/plain", "404: Page Not Found", put) ==
        "the server could not find the requested resource (put virtualmachines.subresources.kubevirt.io vm1)");
}

TEST_CASE("a kubeconfig gives the current context's server, CA, token and namespace") {
  const std::string text = R"(
apiVersion: v1
kind: Config
clusters:
- name: kvsim
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "aGVsbG8gQ0E="}
- name: other
  cluster: {server: "https://10.0.0.1", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: secret-token}
contexts:
- name: kvsim
  context: {cluster: kvsim, user: admin, namespace: lab}
- name: far
  context: {cluster: other, user: admin}
current-context: kvsim
)";
  std::string error;
  auto c = sim::client::parse_kubeconfig(text, "kc.yaml", "", error);
  REQUIRE(c);
  CHECK(c->server == "https://127.0.0.1:6443");
  CHECK(c->ca_pem == "hello CA");
  CHECK(c->token == "secret-token");
  CHECK(c->ns == "lab");
  CHECK_FALSE(c->insecure);
  c = sim::client::parse_kubeconfig(text, "kc.yaml", "far", error);
  REQUIRE(c);
  CHECK(c->insecure);
  CHECK(c->ns == "default");
  CHECK_FALSE(sim::client::parse_kubeconfig(text, "kc.yaml", "nowhere", error));
  CHECK(error == "kc.yaml: context \"nowhere\" does not exist");
  CHECK_FALSE(sim::client::parse_kubeconfig("clusters: [", "bad.yaml", "", error));
  CHECK(error.rfind("bad.yaml:", 0) == 0);
  auto url = sim::client::parse_server_url("https://[::1]:6443/prefix/", error);
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->port == "6443");
  CHECK(url->prefix == "/prefix");
  url = sim::client::parse_server_url("https://api.example.com", error);
  REQUIRE(url);
  CHECK(url->port == "443");
  CHECK(sim::client::query_escape("app=web,tier in (a,b)") == "app%3Dweb%2Ctier%20in%20%28a%2Cb%29");
}

TEST_CASE("virt-api's option bodies: JSON or YAML, unknown fields ignored, a wrong type is a located 400") {
  using sim::kubevirt::subresources::decode_options;
  std::string error;
  auto o = decode_options("StartOptions", R"({"paused": true, "dryRun": ["All"], "extra": 1})", error);
  REQUIRE(o);
  CHECK(o->paused);
  CHECK(o->dry_run);
  o = decode_options("StopOptions", "gracePeriod: 0\n", error);
  REQUIRE(o);
  CHECK(o->grace_period == std::optional<std::int64_t>(0));
  o = decode_options("RestartOptions", "", error);
  REQUIRE(o);
  CHECK_FALSE(o->grace_period);
  CHECK_FALSE(decode_options("StartOptions", R"({"paused": "yes"})", error));
  CHECK(error ==
        "Can not unmarshal Request body to struct, error: json: cannot unmarshal string into Go struct field "
        "StartOptions.paused of type bool");
}

TEST_CASE("the guest's line discipline echoes, erases, hides a password and answers each line with CRLF") {
  sim::guest::TtyLine tty;
  bool echo = true;
  std::vector<std::string> lines;
  auto on_line = [&](const std::string& l) {
    lines.push_back(l);
    return "got " + l + "\n";
  };
  auto on_interrupt = [] { return std::string("$ "); };
  auto feed = [&](const std::string& bytes) { return tty.feed(bytes, [&] { return echo; }, on_line, on_interrupt); };
  CHECK(feed("ab") == "ab");
  CHECK(feed("\x7f" "c\r\n") == "\b \bc\r\ngot ac\r\n");  // CRLF ends one line, not two
  CHECK(lines == std::vector<std::string>{"ac"});
  echo = false;
  CHECK(feed("pw\r") == "\r\ngot pw\r\n");
  echo = true;
  CHECK(feed("x\x1b[Ay\x03") == "xy^C\r\n$ ");  // the arrow key is dropped; ^C drops the line
  CHECK(feed("\n") == "\r\ngot \r\n");
  CHECK(sim::guest::to_crlf("a\nb\r\nc") == "a\r\nb\r\nc");
}

TEST_CASE("GET /apis/subresources.kubevirt.io/v1 lists the subresources kvsim serves as virt-api names them") {
  const auto list = sim::apiserver::kubevirt_subresource_resource_list("v1");
  CHECK(list["kind"] == "APIResourceList");
  CHECK(list["groupVersion"] == "subresources.kubevirt.io/v1");
  std::vector<std::string> names;
  for (const auto& r : list["resources"]) {
    names.push_back(r["name"]);
    CHECK(r["namespaced"] == true);
  }
  for (const char* wanted : {"virtualmachineinstances/console", "virtualmachines/start", "virtualmachines/migrate",
                             "virtualmachineinstances/filesystemlist"})
    CHECK(std::find(names.begin(), names.end(), wanted) != names.end());
}

namespace {

// Objects as an API server would send them, read back as `lab check` reads them.
class JsonObjects final : public sim::scenario::ObjectSource {
 public:
  std::vector<std::pair<const models::KindInfo*, Json>> objects;
  models::ObjectPtr get(const models::KindInfo& kind, const std::string& ns, const std::string& name) const override {
    for (const auto& [k, j] : objects)
      if (k == &kind && j["metadata"].value("namespace", "") == ns && j["metadata"]["name"] == name)
        return sim::client::object_from_json(kind, j);
    return nullptr;
  }
  std::vector<models::ObjectPtr> list(const models::KindInfo& kind, const std::string& ns,
                                      const models::LabelSelector* selector) const override {
    std::vector<models::ObjectPtr> out;
    for (const auto& [k, j] : objects) {
      auto o = sim::client::object_from_json(*k, j);
      if (k == &kind && o->metadata.namespace_ == ns && (!selector || selector->matches(o->metadata.labels)))
        out.push_back(o);
    }
    return out;
  }
};

Json vmi_json(const std::string& uid, const std::string& phase) {
  // managedFields and an unmodelled status field: a real cluster's object.
  return {{"apiVersion", "kubevirt.io/v1"},
          {"kind", "VirtualMachineInstance"},
          {"metadata",
           {{"name", "vm1"}, {"namespace", "default"}, {"uid", uid}, {"managedFields", Json::array({{{"manager", "x"}}})}}},
          {"status", {{"phase", phase}, {"launcherContainerImageVersion", "quay.io/x"}}}};
}

}  // namespace

TEST_CASE("lab check grades the current step through an API, then moves on with the next step's baselines") {
  const auto& vmi_kind = *models::find_kind("VirtualMachineInstance");
  sim::lab::Lab lab;
  lab.name = "05-test";
  lab.title = "test";
  sim::lab::Step running, recreated;
  running.title = "Start";
  sim::scenario::Check c;
  c.name = "the VMI runs";
  c.kind = "VirtualMachineInstance";
  c.object = "vm1";
  c.field = "status.phase";
  c.equals = "Running";
  running.checks.push_back(c);
  recreated.title = "Delete it";
  c.name = "a new VMI runs";
  c.new_uid = true;
  c.within = 60;
  recreated.checks.push_back(c);
  lab.steps = {running, recreated};

  JsonObjects objects;
  sim::lab::ApiProgress progress;
  auto g = sim::lab::grade_through_api(lab, progress, objects);
  CHECK_FALSE(g.grade.passed());
  CHECK_FALSE(g.advanced);
  CHECK(g.text.find("FAIL  the VMI runs: expected VMI vm1 with status.phase Running; there is no VMI vm1") != std::string::npos);
  CHECK(progress.step == 0);
  objects.objects = {{&vmi_kind, vmi_json("uid-1", "Running")}};
  g = sim::lab::grade_through_api(lab, progress, objects);
  CHECK(g.advanced);
  CHECK(progress.step == 1);
  REQUIRE(progress.baselines.size() == 1);
  CHECK(progress.baselines[0].uid == "uid-1");  // taken as step 2 began
  // The same VMI does not pass "new"; a re-created one does (within is graded on the state now).
  g = sim::lab::grade_through_api(lab, progress, objects);
  CHECK_FALSE(g.advanced);
  CHECK(g.text.find("it still has uid uid-1") != std::string::npos);
  objects.objects = {{&vmi_kind, vmi_json("uid-2", "Running")}};
  g = sim::lab::grade_through_api(lab, progress, objects);
  CHECK(g.advanced);
  CHECK(g.text.find("`within`, is not timed through the API") != std::string::npos);
  CHECK(sim::lab::grade_through_api(lab, progress, objects).all_done);

  // The progress record survives a round trip through its file.
  const std::string path = std::filesystem::temp_directory_path() / ("kvsim-progress-" + std::to_string(::getpid()) + ".json");
  std::string error;
  progress.step = 1;
  progress.baselines = {sim::scenario::Baseline{"uid-9", "v", {"a", "b"}, nullptr}};
  REQUIRE(sim::lab::write_progress(path, progress, error));
  auto back = sim::lab::read_progress(path, error);
  REQUIRE(back);
  CHECK(back->step == 1);
  CHECK(back->baselines[0].uid == "uid-9");
  CHECK(back->baselines[0].uids == std::set<std::string>{"a", "b"});
  std::filesystem::remove(path);
}

TEST_CASE("lab check through an API: a deadline's event must be seen, --retry-step retakes the baselines, --skip records the step") {
  const auto& vmi_kind = *models::find_kind("VirtualMachineInstance");
  sim::lab::Lab lab;
  lab.name = "05-test";
  lab.title = "test";
  sim::lab::Step recreated, last;
  recreated.title = "Delete it";
  sim::scenario::Check c;
  c.name = "the new VMI is Running within 60 s of your delete";
  c.kind = "VirtualMachineInstance";
  c.object = "vm1";
  c.field = "status.phase";
  c.equals = "Running";
  c.within = 60;
  sim::scenario::Check event = c;
  event.name = "your delete of VMI vm1";
  event.field.clear();
  event.equals.clear();
  event.within.reset();
  event.deleted = true;
  c.from = std::make_shared<const sim::scenario::Check>(event);
  recreated.checks.push_back(c);
  last.title = "Stop it";
  last.checks.push_back(event);
  lab.steps = {recreated, last};

  JsonObjects objects;
  objects.objects = {{&vmi_kind, vmi_json("uid-1", "Running")}};
  sim::lab::ApiProgress progress;
  auto g = sim::lab::grade_through_api(lab, progress, objects);
  CHECK_FALSE(g.advanced);
  CHECK(g.text.find("FAIL  the new VMI is Running within 60 s of your delete: your delete of VMI vm1 has not happened yet "
                    "(expected VMI vm1 to be deleted; it is still there (uid uid-1)), and this check counts from it") !=
        std::string::npos);
  // The VMI came back: a retry takes uid-2 as the step's baseline, so the delete must happen again.
  objects.objects = {{&vmi_kind, vmi_json("uid-2", "Running")}};
  const auto retried = sim::lab::retry_through_api(lab, progress, objects);
  CHECK(retried.find("Step 1/2 begins again: its checks compare with the cluster as it is now.\n\nStep 1/2: Delete it\n") !=
        std::string::npos);
  REQUIRE(progress.baselines.size() == 1);
  REQUIRE(progress.baselines[0].from);
  CHECK(progress.baselines[0].from->uid == "uid-2");
  CHECK_FALSE(sim::lab::grade_through_api(lab, progress, objects).advanced);
  objects.objects = {{&vmi_kind, vmi_json("uid-3", "Running")}};
  CHECK(sim::lab::grade_through_api(lab, progress, objects).advanced);
  const auto skipped = sim::lab::skip_through_api(lab, progress, objects);
  CHECK(skipped.find("Step 2/2 skipped: it is graded as skipped, not passed.\n\nEvery step of lab 05-test is done (1 skipped: step 2).\n") !=
        std::string::npos);
  CHECK(sim::lab::grade_through_api(lab, progress, objects).text.find("All 2 steps are done (1 skipped: step 2).") != std::string::npos);

  // The event's baseline and the skipped steps survive the record's file.
  const std::string path = std::filesystem::temp_directory_path() / ("kvsim-progress-from-" + std::to_string(::getpid()) + ".json");
  std::string error;
  progress.step = 0;
  progress.baselines = {sim::scenario::Baseline{"uid-3", "", {}, std::make_shared<const sim::scenario::Baseline>(
                                                                          sim::scenario::Baseline{"uid-3", "", {}, nullptr})}};
  REQUIRE(sim::lab::write_progress(path, progress, error));
  auto back = sim::lab::read_progress(path, error);
  REQUIRE(back);
  REQUIRE(back->baselines.size() == 1);
  REQUIRE(back->baselines[0].from);
  CHECK(back->baselines[0].from->uid == "uid-3");
  CHECK(back->skipped == std::vector<std::size_t>{1});
  std::filesystem::remove(path);
}
