#include "sim/client/tls_stream.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

namespace kvsim::sim::client::detail {

TlsConnector::TlsConnector(const KubeConfig& config, const ServerUrl& url)
    : config_(config), url_(url), ctx_(asio::ssl::context::tls_client) {
  boost::system::error_code ec;
  if (config_.insecure) {
    ctx_.set_verify_mode(asio::ssl::verify_none);
  } else {
    ctx_.set_verify_mode(asio::ssl::verify_peer);
    if (!config_.ca_pem.empty()) ctx_.add_certificate_authority(asio::buffer(config_.ca_pem), ec);
    else ctx_.set_default_verify_paths(ec);
    if (ec) setup_error_ = fmt::format("{}: the cluster's certificate authority is unusable: {}", config_.file, ec.message());
  }
  if (!config_.client_cert_pem.empty() && setup_error_.empty()) {
    ctx_.use_certificate_chain(asio::buffer(config_.client_cert_pem), ec);
    if (!ec) ctx_.use_private_key(asio::buffer(config_.client_key_pem), asio::ssl::context::pem, ec);
    if (ec) setup_error_ = fmt::format("{}: the user's client certificate or key is unusable: {}", config_.file, ec.message());
  }
}

std::string TlsConnector::host_header() const {
  const bool v6 = url_.host.find(':') != std::string::npos;
  const std::string host = v6 ? "[" + url_.host + "]" : url_.host;
  return url_.port == "443" ? host : host + ":" + url_.port;
}

std::unique_ptr<TlsStream> TlsConnector::connect(asio::io_context& ioc, std::chrono::seconds timeout, std::string& error) {
  if (!setup_error_.empty()) {
    error = setup_error_;
    return nullptr;
  }
  auto stream = std::make_unique<TlsStream>(ioc, ctx_);
  auto& tcp = beast::get_lowest_layer(*stream);
  asio::ip::tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  const auto endpoints = resolver.resolve(url_.host, url_.port, ec);
  if (ec) {
    error = fmt::format("dial tcp: lookup {}: {}", url_.host, ec.message());
    return nullptr;
  }
  tcp.expires_after(timeout);
  ec = complete(ioc, [&](auto handler) { tcp.async_connect(endpoints, handler); });
  if (ec) {
    error = fmt::format("dial tcp {}:{}: connect: {}", url_.host, url_.port, ec.message());
    return nullptr;
  }
  const std::string name = config_.tls_server_name.empty() ? url_.host : config_.tls_server_name;
  boost::system::error_code addr_ec;
  asio::ip::make_address(name, addr_ec);
  // SNI carries names only, never addresses.
  if (addr_ec) SSL_set_tlsext_host_name(stream->native_handle(), name.c_str());
  if (!config_.insecure) stream->set_verify_callback(asio::ssl::host_name_verification(name));
  tcp.expires_after(timeout);
  ec = complete(ioc, [&](auto handler) { stream->async_handshake(asio::ssl::stream_base::client, handler); });
  if (ec) {
    const long verify = SSL_get_verify_result(stream->native_handle());
    if (verify != X509_V_OK)
      error = fmt::format("tls: failed to verify certificate of {}:{}: {} (the kubeconfig's certificate-authority-data "
                          "must be the CA that signed it; a certificate for an IP needs that IP in its SANs)",
                          url_.host, url_.port, X509_verify_cert_error_string(verify));
    else if (!config_.insecure && ec.category() == asio::error::get_ssl_category())
      error = fmt::format("tls: failed to verify certificate of {}:{}: it is not valid for {} ({})", url_.host,
                          url_.port, name, ec.message());
    else error = fmt::format("tls handshake with {}:{}: {}", url_.host, url_.port, ec.message());
    return nullptr;
  }
  tcp.expires_never();
  return stream;
}

}  // namespace kvsim::sim::client::detail
