#pragma once
// Requests to the API endpoint's handler as the transport hands them over,
// for the scenario tests of the endpoint (no socket, no TLS: the handler alone).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

#include "models/codec/decoder.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/cluster/cluster.hpp"

namespace kvsim::testing {

struct Api {
  sim::cluster::Cluster& cluster;
  sim::apiserver::Handler handler{cluster};

  sim::apiserver::Response send(const std::string& method, const std::string& path, const std::string& body = {},
                                const std::string& content_type = "application/json",
                                std::map<std::string, std::string> query = {},
                                const std::string& accept = "application/json") {
    sim::apiserver::Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.content_type = content_type;
    r.accept = accept;
    r.user_agent = "kubectl/v1.32.4 (linux/amd64) kubernetes/a2c4a5b";
    r.body = body;
    return handler.handle(r).response;
  }
};

// What the transport does with a stream's output, kept for the test to read.
class FakeOutbox final : public sim::apiserver::Outbox {
 public:
  void send(std::string bytes) override { sent += bytes; }
  void close() override { closed = true; }
  bool peer_gone() const override { return false; }
  std::string take() { return std::exchange(sent, {}); }
  std::string sent;
  bool closed = false;
};

inline models::Json body_of(const sim::apiserver::Response& r) {
  INFO(r.body);
  return models::Json::parse(r.body);
}

}  // namespace kvsim::testing
