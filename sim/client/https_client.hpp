#pragma once
// One HTTPS request to the API server a kubeconfig names, with its bearer
// token: the transport of kvsim's virtctl verbs and of `lab check`. A request
// opens its own connection (the clients make few), bounded by a timeout.
#include <memory>
#include <string>

#include "sim/client/kubeconfig.hpp"

namespace kvsim::sim::client {

struct HttpResponse {
  int status = 0;  // 0: no answer; `error` says why
  std::string content_type;
  std::string body;
  std::string error;
};

class HttpsClient {
 public:
  explicit HttpsClient(KubeConfig config, int timeout_seconds = 30);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // `target`: the path and query below the server's URL (/api/v1/namespaces/default/pods?limit=500).
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const std::string& content_type = "application/json");
  const KubeConfig& config() const { return config_; }

 private:
  KubeConfig config_;
  int timeout_;
};

// The User-Agent kvsim's client sends.
std::string client_user_agent();

}  // namespace kvsim::sim::client
