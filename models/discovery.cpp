#include "models/discovery.hpp"

#include <fmt/format.h>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

void validate_endpoints(const Object& o, DecodeContext& ctx) {
  const auto& ep = static_cast<const Endpoints&>(o);
  validate_metadata(ep.metadata, true, NameRule::Subdomain, ctx);
  for (std::size_t i = 0; i < ep.subsets.size(); ++i)
    for (std::size_t j = 0; j < ep.subsets[i].ports.size(); ++j) {
      const auto port = ep.subsets[i].ports[j].port;
      if (port < 1 || port > 65535)
        ctx.invalid(fmt::format("subsets[{}].ports[{}].port", i, j),
                    invalid_value(std::to_string(port), "must be between 1 and 65535, inclusive"));
    }
}

void default_endpoints(Object& o) {
  for (auto& s : static_cast<Endpoints&>(o).subsets)
    for (auto& p : s.ports)
      if (p.protocol.empty()) p.protocol = "TCP";
}

}  // namespace

const KindInfo& Endpoints::kind_info() {
  static const KindInfo info = with_schema<Endpoints>(
      {"Endpoints", "v1", "endpoints", {"ep"}, true, {}, &decode_kind<Endpoints>, &validate_endpoints,
       &default_endpoints, false});
  return info;
}

}  // namespace kvsim::models
