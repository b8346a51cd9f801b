#pragma once
// A GET as the API endpoint's transport hands it to the handler (the unit tests of discovery
// and of the served versions build the same one).
#include <string>

#include "sim/apiserver/handler.hpp"

namespace kvsim::testing {

inline sim::apiserver::Request get_request(const std::string& path, const std::string& accept = "application/json") {
  sim::apiserver::Request r;
  r.method = "GET";
  r.path = path;
  r.accept = accept;
  return r;
}

}  // namespace kvsim::testing
