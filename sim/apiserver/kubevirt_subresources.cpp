#include <fmt/format.h>

#include "sim/apiserver/console_stream.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/kubevirt_subresource_discovery.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/vnc_stream.hpp"
#include "sim/kubevirt/subresources/virt_api_routes.hpp"
#include "sim/kubevirt/subresources/vmi_requests.hpp"

namespace kvsim::sim::apiserver {
namespace {

namespace sub = kubevirt::subresources;

constexpr const char* kPlainStream = "plain.kubevirt.io";

// virt-api's answer on the wire: its Status (writeError), its plain text
// (go-restful's WriteError, the aggregator's 503), or the entity.
Response to_response(const sub::Answer& a) {
  if (!a.ok()) {
    if (!a.plain_text) return status_response(a.code, a.reason, a.message);
    Response r;
    r.status = a.code;
    r.content_type = "text/plain; charset=utf-8";
    r.body = a.message + "\n";
    return r;
  }
  if (!a.body.is_null()) return json_response(a.body, a.code);
  // virt-api only writes the header (stop, start, pause: 202 or 200): Go's
  // net/http then sends no Content-Type, since there is no body to sniff.
  Response r;
  r.status = a.code;
  r.content_type.clear();
  return r;
}

Reply reply_of(Response r) {
  Reply reply;
  reply.response = std::move(r);
  return reply;
}

bool offers(const std::string& protocols, const std::string& wanted) {
  std::size_t i = 0;
  while (i < protocols.size()) {
    auto end = protocols.find(',', i);
    if (end == std::string::npos) end = protocols.size();
    auto p = protocols.substr(i, end - i);
    p.erase(0, p.find_first_not_of(" \t"));
    p.erase(p.find_last_not_of(" \t") + 1);
    if (p == wanted) return true;
    i = end + 1;
  }
  return false;
}

// GET .../console and .../vnc: virt-api's checks, then the WebSocket upgrade.
Reply stream(cluster::Cluster& cluster, const Request& request, const ResourcePath& path) {
  if (request.method != "GET") return reply_of(to_response(sub::plain_error(405, "405: Method Not Allowed")));
  if (sub::Answer down; sub::virt_api_unavailable(cluster.store(), down)) return reply_of(to_response(down));
  const auto checked = sub::stream_check(cluster, path.subresource, path.ns, path.name);
  if (!checked.ok()) return reply_of(to_response(checked));
  std::string vnc_address;
  if (path.subresource == "console")
    if (auto why = console_unavailable(cluster, path.ns, path.name); !why.empty())
      return reply_of(to_response(sub::internal_error("dialing virt-handler: " + why)));
  if (path.subresource == "vnc") {
    Response why;
    vnc_address = vnc_server_of(cluster, path.ns, path.name, why);
    if (vnc_address.empty()) return reply_of(why);
  }
  // gorilla's Upgrade refuses a plain GET (virt-api's clientConnectionUpgrade: 400).
  if (!request.websocket)
    return reply_of(status_response(400, "BadRequest",
                                    "websocket: the client is not using the websocket protocol: 'upgrade' token not "
                                    "found in 'Connection' header"));
  Reply reply;
  reply.response.status = 101;
  reply.websocket = true;
  if (offers(request.websocket_protocols, kPlainStream)) reply.subprotocol = kPlainStream;
  if (path.subresource == "console") {
    reply.open_stream = [&cluster, ns = path.ns, name = path.name](std::shared_ptr<Outbox> outbox) {
      return open_console_stream(cluster, ns, name, std::move(outbox));
    };
  } else {
    reply.open_stream = [vnc_address](std::shared_ptr<Outbox> outbox) {
      return open_vnc_stream(vnc_address, std::move(outbox));
    };
  }
  return reply;
}

}  // namespace

Reply kubevirt_subresource(cluster::Cluster& cluster, const Request& request, const ResourcePath& path) {
  if (path.resource == "virtualmachineinstances" && (path.subresource == "console" || path.subresource == "vnc") &&
      !path.ns.empty() && !path.name.empty())
    return stream(cluster, request, path);
  sub::SubresourceRequest r{request.method, path.ns, path.resource, path.name, path.subresource, request.body};
  // /apis/subresources.kubevirt.io/v1/version and /healthz parse as a bare resource.
  if (path.ns.empty() && path.name.empty() && path.subresource.empty() &&
      (path.resource == "version" || path.resource == "healthz")) {
    r.resource.clear();
    r.subresource = path.resource;
  }
  return reply_of(to_response(sub::virt_api_request(cluster, r)));
}

}  // namespace kvsim::sim::apiserver
