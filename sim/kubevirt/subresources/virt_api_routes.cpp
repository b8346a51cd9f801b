#include "sim/kubevirt/subresources/virt_api_routes.hpp"

#include "sim/kubevirt/subresources/vm_requests.hpp"
#include "sim/kubevirt/subresources/vmi_requests.hpp"
#include "sim/kubevirt/virt_api.hpp"

namespace kvsim::sim::kubevirt::subresources {
namespace {

// go-restful's own answers for a path or method it has no route for.
Answer no_route() { return plain_error(404, "404: Page Not Found"); }
Answer wrong_method() { return plain_error(405, "405: Method Not Allowed"); }

// client-go/version.Info as virt-api's /version writes it.
models::Json version_info() {
  return {{"gitVersion", kKubeVirtVersion}, {"gitCommit", ""},      {"gitTreeState", ""}, {"buildDate", ""},
          {"goVersion", ""},                {"compiler", "kvsim"}, {"platform", "linux/amd64"}};
}

}  // namespace

bool virt_api_unavailable(const api::Store& store, Answer& answer) {
  if (virt_api_serving(store)) return false;
  answer = plain_error(503, "service unavailable");
  return true;
}

Answer virt_api_request(cluster::Cluster& cluster, const SubresourceRequest& r) {
  if (Answer down; virt_api_unavailable(cluster.store(), down)) return down;
  auto& store = cluster.store();
  if (r.resource.empty()) {
    if (r.subresource == "version" || r.subresource == "healthz") {
      if (r.method != "GET") return wrong_method();
      return ok_json(r.subresource == "version" ? version_info() : models::Json{{"apiserver", "ok"}});
    }
    return no_route();
  }
  if (r.ns.empty() || r.name.empty()) return no_route();
  if (r.resource == "virtualmachines") {
    const auto& s = r.subresource;
    if (s != "start" && s != "stop" && s != "restart" && s != "migrate") return no_route();
    if (r.method != "PUT") return wrong_method();
    if (s == "start") return start_vm(store, r.ns, r.name, r.body);
    if (s == "stop") return stop_vm(store, r.ns, r.name, r.body);
    if (s == "restart") return restart_vm(store, r.ns, r.name, r.body);
    return migrate_vm(store, r.ns, r.name, r.body);
  }
  if (r.resource == "virtualmachineinstances") {
    const auto& s = r.subresource;
    if (s == "pause" || s == "unpause") {
      if (r.method != "PUT") return wrong_method();
      return pause_vmi(cluster, s, r.ns, r.name, r.body);
    }
    if (s == "guestosinfo" || s == "userlist" || s == "filesystemlist") {
      if (r.method != "GET") return wrong_method();
      return guest_agent_request(cluster, s, r.ns, r.name);
    }
  }
  return no_route();
}

}  // namespace kvsim::sim::kubevirt::subresources
