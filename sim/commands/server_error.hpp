#pragma once
// How kubectl words a refusal from the API server.
#include <string>

#include "sim/api/store.hpp"

namespace kvsim::sim::commands {

// 422 Invalid: `The Deployment "web" is invalid: <cause>`, or one `* cause`
// line per cause when there are several. Otherwise `Error from server
// (Reason): <message>`, the reason named from the status code.
std::string server_error(const api::WriteResult& refused);

}  // namespace kvsim::sim::commands
