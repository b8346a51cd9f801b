#pragma once
// The Kubernetes API, served from the simulated cluster: one request in, one
// reply out, on the simulation's thread between steps (SimGrid is not
// thread-safe; the transport hands requests over, see bridge.hpp).
//
// The routes, and the file that answers each:
//   /version, /api, /apis, legacy group documents      discovery.cpp
//   /openapi/v2, /openapi/v3[/...]                     openapi.cpp
//   GET of resources (object, list, Table, watch)      reads.cpp, watch.cpp
//   POST, PUT, PATCH, DELETE of resources; the status
//   subresource's writes; scale (GET too)              writes.cpp
//   /apis/subresources.kubevirt.io/...                 kubevirt_subresources.cpp
//   resources read or written in a version other than
//   the stored one (kubevirt.io/v1alpha3): the answer
//   converted, with the deprecation Warning            version_conversion.cpp
#include <functional>
#include <memory>
#include <string>

#include "sim/apiserver/http_message.hpp"
#include "sim/apiserver/resource_path.hpp"
#include "sim/cluster/cluster.hpp"

namespace kvsim::sim::apiserver {

// Where the simulation's side of a long-lived reply writes (a watch's JSON lines,
// a console's bytes). Thread-safe: the transport drains it on its own thread.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Queues bytes for the peer: one watch event line, or console output.
  virtual void send(std::string bytes) = 0;
  // Ends the stream (a watch's timeoutSeconds, a console whose VMI is gone).
  virtual void close() = 0;
  // True once the peer went away; the stream's owner then drops it.
  virtual bool peer_gone() const = 0;
};

// A long-lived reply owned by the simulation's side. `poll` runs once per
// main-loop turn (after each step), `input` when the peer sent bytes
// (WebSocket streams only). Returning false from poll ends the stream.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual bool poll() = 0;
  virtual void input(const std::string& /*bytes*/) {}
};

// What the handler answers: a plain response, or the head of a stream.
// For a watch, `response` carries the status and Content-Type sent before the
// chunked body; for a WebSocket, the accepted subprotocol in `subprotocol`.
struct Reply {
  Reply(Response r = {}) : response(std::move(r)) {}  // NOLINT: a plain response converts
  Response response;
  // Set for streams: called once with the outbox the transport created; the
  // stream it returns is then polled until it ends or the peer goes away.
  std::function<std::unique_ptr<Stream>(std::shared_ptr<Outbox>)> open_stream;
  bool websocket = false;
  std::string subprotocol;
};

struct ServeOptions {
  std::string version = "v1.32.4";  // what /version reports (the kubectl dispatcher picks by minor)
};

class WatchHub;

class Handler {
 public:
  explicit Handler(cluster::Cluster& cluster, ServeOptions options = {});
  ~Handler();
  Reply handle(const Request& request);
  cluster::Cluster& cluster() { return cluster_; }

 private:
  cluster::Cluster& cluster_;
  ServeOptions options_;
  std::unique_ptr<WatchHub> hub_;  // the recent changes watches start from
};

// The pieces, each in its own file (see the table above). All run on the
// simulation's thread.
Reply discovery(const Request& request, const ServeOptions& options);  // response.status 0: not a discovery path
Response openapi(const Request& request);                                // status 0 when not an openapi path
Reply read_resource(cluster::Cluster& cluster, WatchHub& hub, const Request& request, const ResourcePath& path);
Response write_resource(cluster::Cluster& cluster, const Request& request, const ResourcePath& path);
Reply kubevirt_subresource(cluster::Cluster& cluster, const Request& request, const ResourcePath& path);

}  // namespace kvsim::sim::apiserver
