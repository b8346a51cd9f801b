#pragma once
// What the endpoint proves itself with: a self-signed certificate made at
// start (kubectl refuses a certificate without a SAN for the address it dials,
// so the SAN carries IP:127.0.0.1 and DNS:localhost, plus any address bound
// with --address), and a random bearer token per run.
#include <string>
#include <vector>

namespace kvsim::sim::apiserver {

struct TlsIdentity {
  std::string certificate_pem;  // also the kubeconfig's certificate-authority-data
  std::string private_key_pem;
};

// An EC P-256 key and a self-signed certificate valid for 10 years, with the
// SAN entries `ips` (127.0.0.1 always included) and DNS:localhost. Throws
// std::runtime_error with OpenSSL's reason when OpenSSL fails.
TlsIdentity make_tls_identity(const std::vector<std::string>& ips = {});

// 32 random bytes from the OS, as 64 hex digits.
std::string make_token();

}  // namespace kvsim::sim::apiserver
