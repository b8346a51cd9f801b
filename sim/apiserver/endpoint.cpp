#include "sim/apiserver/endpoint.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "sim/apiserver/discovery.hpp"
#include "sim/apiserver/kubeconfig_file.hpp"
#include "sim/apiserver/transport.hpp"

namespace kvsim::sim::apiserver {

namespace {

bool is_loopback(const std::string& address) { return address == "127.0.0.1" || address == "::1" || address == "localhost"; }

}  // namespace

Endpoint::Endpoint(cluster::Cluster& cluster, EndpointOptions options)
    : options_(std::move(options)), handler_(cluster) {
  if (options_.address == "localhost") options_.address = "127.0.0.1";
  if (!is_loopback(options_.address) && !options_.allow_remote)
    throw std::runtime_error(fmt::format(
        "--address {}: kvsim serves 127.0.0.1 only, unless --allow-remote is given too (the API still needs TLS and the token)",
        options_.address));
  TransportOptions t;
  t.address = options_.address;
  t.port = options_.port;
  t.token = make_token();
  t.identity = make_tls_identity(is_loopback(options_.address) ? std::vector<std::string>{}
                                                                : std::vector<std::string>{options_.address});
  if (options_.log_requests)
    t.log = [](const Request& r, int status, double seconds) {
      std::string query;
      for (const auto& [k, v] : r.query) query += (query.empty() ? "?" : "&") + k + "=" + v;
      std::cerr << fmt::format("api: {} {}{} {} {:.1f}ms\n", r.method, r.path, query, status, seconds * 1000);
    };
  const std::string ca = t.identity.certificate_pem, token = t.token;
  transport_ = std::make_unique<Transport>(std::move(t));
  kubeconfig_path_ = options_.kubeconfig_out.empty() ? default_kubeconfig_path(port()) : options_.kubeconfig_out;
  kubeconfig_path_ = std::filesystem::absolute(kubeconfig_path_).string();
  if (auto err = write_file_atomically(kubeconfig_path_, kubeconfig_yaml({url(), ca, token, options_.ns})); !err.empty())
    throw std::runtime_error("--kubeconfig-out: " + err);
}

Endpoint::~Endpoint() = default;

int Endpoint::port() const { return transport_->port(); }

std::string Endpoint::url() const {
  const bool v6 = options_.address.find(':') != std::string::npos;
  return fmt::format("https://{}{}{}:{}", v6 ? "[" : "", options_.address, v6 ? "]" : "", port());
}

std::string Endpoint::cache_dir() const {
  return (std::filesystem::path(kubeconfig_path_).parent_path() / ("kube-cache-" + discovery_fingerprint())).string();
}

std::string Endpoint::export_line() const {
  return fmt::format("export KUBECONFIG={} KUBECACHEDIR={}", kubeconfig_path_, cache_dir());
}

std::string Endpoint::banner() const {
  return fmt::format(
      "kvsim serves the Kubernetes API at {} (Kubernetes v1.32, TLS, a token made for this run).\n"
      "In another terminal, use your own kubectl:\n"
      "  {}\n"
      "  kubectl get vm,vmi,pods\n",
      url(), export_line());
}

void Endpoint::serve(std::chrono::milliseconds wait) { transport_->serve_pending(handler_, wait); }

void Endpoint::wake() { transport_->wake(); }

std::size_t Endpoint::open_streams() const { return transport_->open_streams(); }

}  // namespace kvsim::sim::apiserver
