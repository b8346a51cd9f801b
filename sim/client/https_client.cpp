#include "sim/client/https_client.hpp"

#include <fmt/format.h>

#include <boost/beast/http.hpp>

#include "sim/client/tls_stream.hpp"

namespace kvsim::sim::client {

namespace http = boost::beast::http;
using detail::complete;

std::string client_user_agent() { return "kvsim-virtctl/v1.5.0 (linux/amd64)"; }

HttpsClient::HttpsClient(KubeConfig config, int timeout_seconds) : config_(std::move(config)), timeout_(timeout_seconds) {}
HttpsClient::~HttpsClient() = default;

HttpResponse HttpsClient::request(const std::string& method, const std::string& target, const std::string& body,
                                  const std::string& content_type) {
  HttpResponse out;
  std::string error;
  const auto url = parse_server_url(config_.server, error);
  if (!url) {
    out.error = config_.file + ": " + error;
    return out;
  }
  if (url->scheme != "https") {
    out.error = fmt::format("{}: server {}: kvsim's client speaks https only (kubectl sends no token over http)",
                            config_.file, config_.server);
    return out;
  }
  detail::asio::io_context ioc;
  detail::TlsConnector connector(config_, *url);
  const auto timeout = std::chrono::seconds(timeout_);
  auto stream = connector.connect(ioc, timeout, error);
  if (!stream) {
    out.error = error;
    return out;
  }
  http::request<http::string_body> req{http::string_to_verb(method), url->prefix + target, 11};
  req.set(http::field::host, connector.host_header());
  req.set(http::field::user_agent, client_user_agent());
  req.set(http::field::accept, "application/json, */*");
  if (!config_.token.empty()) req.set(http::field::authorization, "Bearer " + config_.token);
  if (!body.empty() || method == "PUT" || method == "POST" || method == "PATCH") {
    req.set(http::field::content_type, content_type);
    req.body() = body;
  }
  req.prepare_payload();
  auto& tcp = detail::beast::get_lowest_layer(*stream);
  tcp.expires_after(timeout);
  auto ec = complete(ioc, [&](auto handler) { http::async_write(*stream, req, handler); });
  if (ec) {
    out.error = fmt::format("{} {}: {}", method, config_.server + target, ec.message());
    return out;
  }
  detail::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);  // a big list is fine; an endless one is not
  tcp.expires_after(timeout);
  ec = complete(ioc, [&](auto handler) { http::async_read(*stream, buffer, parser, handler); });
  if (ec) {
    out.error = fmt::format("{} {}: {}", method, config_.server + target,
                            ec == detail::beast::error::timeout ? "timed out waiting for the server" : ec.message());
    return out;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  out.body = res.body();
  // The server may close at once; a clean TLS shutdown is not worth waiting for.
  boost::system::error_code ignored;
  tcp.socket().shutdown(detail::asio::ip::tcp::socket::shutdown_both, ignored);
  return out;
}

}  // namespace kvsim::sim::client
