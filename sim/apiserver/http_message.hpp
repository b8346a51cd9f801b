#pragma once
// One HTTP exchange of the Kubernetes API, as the handler sees it: already
// authenticated, the body read whole (capped), nothing of the network left.
// The handler runs on the simulation's thread; the transport (transport.hpp)
// owns sockets and never touches the simulation.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kvsim::sim::apiserver {

struct Request {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // percent-decoded, without the query: /apis/kubevirt.io/v1/namespaces/default/virtualmachines
  std::map<std::string, std::string> query;  // percent-decoded; a repeated key keeps its last value
  std::string content_type;                  // as sent, parameters included
  std::string accept;
  std::string user_agent;
  std::string body;
  bool websocket = false;  // an Upgrade: websocket request (console, vnc)
  std::string websocket_protocols;  // Sec-WebSocket-Protocol as sent

  std::string param(const std::string& key, const std::string& fallback = {}) const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
  }
  bool has(const std::string& key) const { return query.count(key) > 0; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

}  // namespace kvsim::sim::apiserver
