#include "sim/apiserver/handler.hpp"

namespace kvsim::sim::apiserver {

Reply discovery(const Request&, const ServeOptions&) { return {Response{0}}; }

}  // namespace kvsim::sim::apiserver
