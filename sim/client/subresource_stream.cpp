#include "sim/client/subresource_stream.hpp"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>

#include "sim/client/https_client.hpp"
#include "sim/client/tls_stream.hpp"

namespace kvsim::sim::client {

namespace websocket = boost::beast::websocket;
namespace beast = detail::beast;
namespace asio = detail::asio;

struct SubresourceStream::Impl {
  asio::io_context ioc;
  std::unique_ptr<websocket::stream<detail::TlsStream>> ws;
  beast::flat_buffer buffer;
  std::deque<std::string> queue;
  bool writing = false;
  bool stopped = false;  // stop() asked for the end
  std::string ended;     // how the stream ended, once it has
  bool done = false;
  std::function<void(const std::string&)> on_data;

  void read() {
    ws->async_read(buffer, [this](boost::system::error_code ec, std::size_t) {
      if (ec) return finish(ec);
      const auto data = buffer.data();
      on_data(std::string(static_cast<const char*>(data.data()), data.size()));
      buffer.consume(buffer.size());
      read();
    });
  }
  void write() {
    if (writing || queue.empty() || done) return;
    writing = true;
    ws->async_write(asio::buffer(queue.front()), [this](boost::system::error_code ec, std::size_t) {
      writing = false;
      queue.pop_front();
      if (ec) return finish(ec);
      write();
    });
  }
  void finish(boost::system::error_code ec) {
    if (done) return;
    done = true;
    if (stopped) ended.clear();
    else if (ec == websocket::error::closed) {
      const auto& why = ws->reason().reason;
      ended = why.empty() ? "closed by the server" : "closed by the server: " + std::string(why.data(), why.size());
    }
    else ended = ec.message();
    boost::system::error_code ignored;
    beast::get_lowest_layer(*ws).socket().close(ignored);
  }
};

SubresourceStream::SubresourceStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SubresourceStream::~SubresourceStream() = default;

std::unique_ptr<SubresourceStream> SubresourceStream::open(const KubeConfig& config, const std::string& ns,
                                                           const std::string& name, const std::string& sub,
                                                           StreamRefusal& refused, std::string& error) {
  const auto url = parse_server_url(config.server, error);
  if (!url) return nullptr;
  if (url->scheme != "https") {
    error = fmt::format("server {}: kvsim's client speaks https (wss) only", config.server);
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  detail::TlsConnector connector(config, *url);
  auto tls = connector.connect(impl->ioc, std::chrono::seconds(30), error);
  if (!tls) return nullptr;
  impl->ws = std::make_unique<websocket::stream<detail::TlsStream>>(std::move(*tls));
  auto& ws = *impl->ws;
  const std::string token = config.token;
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    req.set(beast::http::field::user_agent, client_user_agent());
    req.set(beast::http::field::sec_websocket_protocol, "plain.kubevirt.io");
    if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
  }));
  const std::string target =
      fmt::format("{}/apis/subresources.kubevirt.io/v1/namespaces/{}/virtualmachineinstances/{}/{}", url->prefix, ns, name, sub);
  websocket::response_type res;
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(30));
  const auto ec = detail::complete(impl->ioc, [&](auto handler) {
    ws.async_handshake(res, connector.host_header(), target, handler);
  });
  if (ec) {
    if (res.result_int() != 0 && res.result_int() != 101) {
      refused.status = static_cast<int>(res.result_int());
      refused.content_type = std::string(res[beast::http::field::content_type]);
      refused.body = res.body();
    } else {
      error = fmt::format("Can't connect to websocket: {}", ec.message());
    }
    return nullptr;
  }
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  ws.binary(true);
  return std::unique_ptr<SubresourceStream>(new SubresourceStream(std::move(impl)));
}

std::string SubresourceStream::run(const std::function<void(const std::string&)>& on_data) {
  auto& s = *impl_;
  s.on_data = on_data;
  s.read();
  s.ioc.restart();
  s.ioc.run();
  return s.ended;
}

void SubresourceStream::send(std::string bytes) {
  asio::post(impl_->ioc, [impl = impl_.get(), b = std::move(bytes)]() mutable {
    impl->queue.push_back(std::move(b));
    impl->write();
  });
}

void SubresourceStream::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] {
    if (impl->done) return;
    impl->stopped = true;
    impl->ws->async_close(websocket::close_code::normal, [impl](boost::system::error_code) {
      boost::system::error_code ignored;
      beast::get_lowest_layer(*impl->ws).socket().close(ignored);
    });
  });
}

}  // namespace kvsim::sim::client
