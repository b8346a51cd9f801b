#pragma once
// Reading a kubeconfig as kubectl does, for kvsim's own client (virtctl verbs,
// `lab check`): the current context (or --context), its cluster's server and
// how to trust it (certificate-authority-data, certificate-authority, or
// insecure-skip-tls-verify), its user's bearer token (token, tokenFile) or
// client certificate, and its namespace. Which file: --kubeconfig, else the
// first file of $KUBECONFIG that exists, else ~/.kube/config. Pure but for
// reading the files it names.
#include <optional>
#include <string>

namespace kvsim::sim::client {

struct KubeConfig {
  std::string file;       // where it came from
  std::string context;    // the context used
  std::string server;     // https://127.0.0.1:6443
  std::string ca_pem;     // the CA to trust (empty: the system's)
  bool insecure = false;  // insecure-skip-tls-verify
  std::string tls_server_name;
  std::string token;
  std::string client_cert_pem, client_key_pem;
  std::string ns = "default";
};

// `text` is the kubeconfig's YAML; `file` names it in messages and anchors relative paths.
std::optional<KubeConfig> parse_kubeconfig(const std::string& text, const std::string& file, const std::string& context,
                                           std::string& error);
// Finds and reads the kubeconfig (flag_path empty: $KUBECONFIG, then ~/.kube/config).
std::optional<KubeConfig> load_kubeconfig(const std::string& flag_path, const std::string& context, std::string& error);

// The parts of a server URL.
struct ServerUrl {
  std::string scheme;  // https (or http)
  std::string host;    // 127.0.0.1, example.com, ::1
  std::string port;    // "443" when absent for https
  std::string prefix;  // a path the API lives under ("" for most)
};
std::optional<ServerUrl> parse_server_url(const std::string& url, std::string& error);

std::string base64_decode(const std::string& text, bool& ok);
// Percent-encodes a query value (labelSelector=app%3Dweb).
std::string query_escape(const std::string& value);

}  // namespace kvsim::sim::client
