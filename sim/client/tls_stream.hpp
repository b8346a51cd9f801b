#pragma once
// The TLS connection to an API server, as a kubeconfig describes it (the CA or
// insecure-skip-tls-verify, the host name checked against the certificate's
// SANs, a client certificate when the user has one). Internal to the client's
// HTTPS and WebSocket code: the only headers that pull Boost.Beast in.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "sim/client/kubeconfig.hpp"

namespace kvsim::sim::client::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Runs one asynchronous operation to its end on `ioc` (the stream's timeout
// bounds it); returns its error.
template <class Start>
boost::system::error_code complete(asio::io_context& ioc, Start start) {
  boost::system::error_code result = asio::error::would_block;
  bool done = false;
  start([&](boost::system::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  while (!done && ioc.run_one()) {
  }
  return result;
}

class TlsConnector {
 public:
  TlsConnector(const KubeConfig& config, const ServerUrl& url);
  // Resolves, connects and shakes hands within `timeout`; nullptr with `error` set on failure.
  std::unique_ptr<TlsStream> connect(asio::io_context& ioc, std::chrono::seconds timeout, std::string& error);
  // The Host header's value.
  std::string host_header() const;

 private:
  KubeConfig config_;
  ServerUrl url_;
  asio::ssl::context ctx_;
  std::string setup_error_;
};

}  // namespace kvsim::sim::client::detail
