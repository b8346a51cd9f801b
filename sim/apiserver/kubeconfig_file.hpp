#pragma once
// The kubeconfig kvsim writes for the real kubectl: one cluster (the server
// URL, the certificate as certificate-authority-data), one user (the bearer
// token), one context, current. Written atomically (a temporary file in the
// same folder, then rename), readable by its owner only: it holds a secret.
#include <string>

namespace kvsim::sim::apiserver {

struct KubeconfigSpec {
  std::string server;          // https://127.0.0.1:16443
  std::string ca_pem;          // the server's self-signed certificate
  std::string token;
  std::string ns = "default";  // the context's namespace
};

std::string kubeconfig_yaml(const KubeconfigSpec& spec);

// Where the kubeconfig goes without --kubeconfig-out: $XDG_RUNTIME_DIR/kvsim/
// when set (a per-user tmpfs), else build/ under the current folder when it
// exists, else the current folder. The name carries the port, so two servers
// do not overwrite each other's file.
std::string default_kubeconfig_path(int port);

// Writes `content` to `path` atomically with mode 0600, creating the folder.
// Returns an error message (empty on success).
std::string write_file_atomically(const std::string& path, const std::string& content);

std::string base64(const std::string& bytes);

}  // namespace kvsim::sim::apiserver
