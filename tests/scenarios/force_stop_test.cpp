// virtctl stop/restart --grace-period=0 --force (issue 20, item 1; FIDELITY.md §10):
// virt-api patches the VMI's terminationGracePeriodSeconds to 0 before asking for the
// stop, so virt-handler kills the domain instead of signalling ACPI and waiting out
// the 30 s grace. Through each of the three ways kvsim offers: its shell, the API
// endpoint's PUT .../virtualmachines/NAME/stop, and the `kvsim virtctl` client code.
// The guest here ignores ACPI for 60 s, so a graceful stop takes the whole 30 s grace.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/client/api_errors.hpp"
#include "sim/client/virtctl_verbs.hpp"

using namespace kvsim;

namespace {

// A cluster whose guests take 60 s to answer an ACPI power-off, with VMs `names` Running.
struct SlowGuests {
  std::unique_ptr<sim::cluster::Cluster> cluster;
  explicit SlowGuests(const std::vector<std::string>& names) {
    auto options = testing::small_cluster_options();
    options.profile.guest_shutdown = 60;
    cluster = std::make_unique<sim::cluster::Cluster>(options);
    cluster->run_until(0);
    for (const auto& n : names) testing::apply_yaml(*cluster, testing::vm_yaml(n));
    REQUIRE(testing::run_until_true(*cluster, 180, [&] {
              for (const auto& n : names) {
                auto vmi = this->vmi(n);
                if (!vmi || vmi->status.phase != "Running") return false;
              }
              return true;
            }) > 0);
  }
  std::shared_ptr<const models::VirtualMachineInstance> vmi(const std::string& name) {
    return cluster->store().get<models::VirtualMachineInstance>("default", name);
  }
  // Seconds from `asked` until VMI `name` of `uid` is gone from the API (-1: not within `limit`).
  double gone_after(const std::string& name, const std::string& uid, double asked, double limit) {
    const double t = testing::run_until_true(*cluster, asked + limit, [&] {
      auto v = vmi(name);
      return !v || v->metadata.uid != uid;
    });
    return t < 0 ? -1 : t - asked;
  }
  // The events virt-handler recorded for the VMI of `uid` since `after`, as "Reason: message".
  std::vector<std::string> handler_events(const std::string& uid, double after) {
    std::vector<std::string> out;
    for (const auto& e : cluster->store().events_for(uid))
      if (e->source->component.rfind("virt-handler", 0) == 0 && e->lastTimestamp && e->lastTimestamp->seconds >= after)
        out.push_back(*e->reason + ": " + *e->message);
    return out;
  }
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The `kvsim virtctl` client's KubeVirtApi, over the API endpoint's handler instead of HTTPS.
class HandlerApi : public sim::client::KubeVirtApi {
 public:
  explicit HandlerApi(sim::apiserver::Handler& h) : h_(h) {}
  sim::client::ApiResult subresource(const std::string& method, const std::string& ns, const std::string& resource,
                                     const std::string& name, const std::string& sub, const std::string& body) override {
    sim::apiserver::Request r;
    r.method = method;
    r.path = "/apis/subresources.kubevirt.io/v1/namespaces/" + ns + "/" + resource + "/" + name + "/" + sub;
    r.body = body;
    r.content_type = "application/json";
    const auto resp = h_.handle(r).response;
    sim::client::ApiResult out;
    out.code = resp.status;
    if (resp.status >= 400)
      out.error = sim::client::client_error_text(resp.status, resp.content_type, resp.body,
                                                 {"put", resource + ".subresources.kubevirt.io", name});
    return out;
  }
  sim::client::ApiResult kubevirt_version() override { return {500, {}, "not used"}; }
  sim::client::ApiResult get(const std::string&, const std::string&, const std::string&, const std::string&) override {
    return {500, {}, "not used"};
  }
  sim::client::ApiResult create(const std::string&, const std::string&, const std::string&,
                                const models::Json&) override {
    return {500, {}, "not used"};
  }

 private:
  sim::apiserver::Handler& h_;
};

}  // namespace

TEST_CASE("the shell's virtctl stop --grace-period=0 --force kills the guest at once, a plain stop waits out the grace") {
  SlowGuests c({"forced", "graceful"});
  sim::commands::Executor exec(*c.cluster);
  // --grace-period without --force is refused by virtctl itself, and nothing changes.
  auto refused = exec.run("virtctl stop forced --grace-period=0");
  CHECK(refused.error == "Must both use --force=true and set --grace-period.");
  CHECK(c.vmi("forced")->spec.terminationGracePeriodSeconds != std::optional<std::int64_t>(0));
  CHECK(c.cluster->store().get<models::VirtualMachine>("default", "forced")->run_strategy() == "Always");

  const auto forced_uid = c.vmi("forced")->metadata.uid;
  const auto graceful_uid = c.vmi("graceful")->metadata.uid;
  const double asked = c.cluster->now();
  CHECK(testing::run_ok(exec, "virtctl stop forced --grace-period=0 --force") == "VM forced was scheduled to stop\n");
  CHECK(testing::run_ok(exec, "virtctl stop graceful") == "VM graceful was scheduled to stop\n");
  // virt-api shortened the VMI's grace period before stopping the VM.
  CHECK(c.vmi("forced")->spec.terminationGracePeriodSeconds == std::optional<std::int64_t>(0));
  const double forced = c.gone_after("forced", forced_uid, asked, 60);
  INFO("forced VMI gone after " << forced << " s");
  CHECK(forced >= 0);
  CHECK(forced < 5);
  CHECK(contains(c.handler_events(forced_uid, asked), "Deleted: VirtualMachineInstance stopping"));
  CHECK_FALSE(contains(c.handler_events(forced_uid, asked), "ShuttingDown: Signaled Graceful Shutdown"));
  // The guest that ignores ACPI holds its VMI for the whole 30 s grace period.
  const double graceful = c.gone_after("graceful", graceful_uid, asked, 90);
  INFO("graceful VMI gone after " << graceful << " s");
  CHECK(graceful >= 30);
  CHECK(contains(c.handler_events(graceful_uid, asked), "ShuttingDown: Signaled Graceful Shutdown"));
  c.cluster->shutdown();
}

TEST_CASE("the shell's virtctl restart --grace-period=0 --force replaces the VMI within seconds") {
  SlowGuests c({"vm1"});
  sim::commands::Executor exec(*c.cluster);
  CHECK(exec.run("virtctl restart vm1 --force").error == "Must both use --force=true and set --grace-period.");
  const auto uid = c.vmi("vm1")->metadata.uid;
  const double asked = c.cluster->now();
  CHECK(testing::run_ok(exec, "virtctl restart vm1 --grace-period=0 --force") == "VM vm1 was scheduled to restart\n");
  // virt-api deletes the launcher pod with a 1 s grace period: the old VMI goes, a new one starts.
  const double gone = c.gone_after("vm1", uid, asked, 60);
  INFO("old VMI replaced after " << gone << " s");
  CHECK(gone >= 0);
  CHECK(gone < 5);
  REQUIRE(testing::run_until_true(*c.cluster, asked + 120, [&] {
            auto v = c.vmi("vm1");
            return v && v->metadata.uid != uid && v->status.phase == "Running";
          }) > 0);
  c.cluster->shutdown();
}

TEST_CASE("PUT virtualmachines/NAME/stop with gracePeriod 0 on the API endpoint removes the VMI within seconds") {
  SlowGuests c({"vm1"});
  sim::apiserver::Handler h(*c.cluster);
  const auto uid = c.vmi("vm1")->metadata.uid;
  const double asked = c.cluster->now();
  sim::apiserver::Request r;
  r.method = "PUT";
  r.path = "/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/vm1/stop";
  r.body = R"({"gracePeriod":0})";
  r.content_type = "application/json";
  CHECK(h.handle(r).response.status == 202);
  CHECK(c.vmi("vm1")->spec.terminationGracePeriodSeconds == std::optional<std::int64_t>(0));
  const double gone = c.gone_after("vm1", uid, asked, 60);
  INFO("VMI gone after " << gone << " s");
  CHECK(gone >= 0);
  CHECK(gone < 5);
  CHECK(contains(c.handler_events(uid, asked), "Deleted: VirtualMachineInstance stopping"));
  c.cluster->shutdown();
}

TEST_CASE("the kvsim virtctl client's stop --grace-period=0 --force removes the VMI within seconds") {
  SlowGuests c({"vm1"});
  sim::apiserver::Handler h(*c.cluster);
  HandlerApi api(h);
  bool handled = false;
  auto refused = sim::client::run_virtctl_verb(api, {"stop", "vm1", "--grace-period=0"}, "default", handled);
  CHECK(handled);
  CHECK(refused.error == "Must both use --force=true and set --grace-period.");
  const auto uid = c.vmi("vm1")->metadata.uid;
  const double asked = c.cluster->now();
  auto r = sim::client::run_virtctl_verb(api, {"stop", "vm1", "--grace-period", "0", "--force"}, "default", handled);
  INFO(r.error);
  CHECK(r.output == "VM vm1 was scheduled to stop\n");
  const double gone = c.gone_after("vm1", uid, asked, 60);
  INFO("VMI gone after " << gone << " s");
  CHECK(gone >= 0);
  CHECK(gone < 5);
  c.cluster->shutdown();
}
