#pragma once
// The network side of the API endpoint: HTTPS (and WebSocket over it) on its
// own thread, with Boost.Beast. It authenticates the bearer token, reads each
// request (body capped), and queues it; the simulation's thread answers the
// queue between steps (serve_pending) with the Handler, and feeds the streams
// it opened (watches, consoles). Nothing here touches the simulation.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/tls_identity.hpp"

namespace kvsim::sim::apiserver {

struct TransportOptions {
  std::string address = "127.0.0.1";
  int port = 16443;  // 0: any free port (tests)
  std::string token;
  TlsIdentity identity;
  std::size_t body_limit = 3 * 1024 * 1024;  // past it: 413
  std::size_t max_streams = 256;             // open watches and consoles at once; past it: 429
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds idle_timeout{120};     // a kept-alive connection with no request
  // Called on the simulation's thread after each answer: the request, the
  // status, and how long the handler took (--log-requests).
  std::function<void(const Request&, int status, double seconds)> log;
};

class Transport {
 public:
  // Binds and starts the network thread. Throws std::runtime_error with a
  // sentence a user can act on (the port is taken, the address is not local).
  explicit Transport(TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  int port() const;
  // On the simulation's thread: waits up to `wait` for a request (or input to
  // a stream), then answers everything queued with `handler` and polls every
  // open stream once.
  void serve_pending(Handler& handler, std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  std::size_t open_streams() const;
  // From any thread: ends a serve_pending() that is waiting.
  void wake();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kvsim::sim::apiserver
