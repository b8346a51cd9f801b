#include "models/sriov.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

// The CRD's schema: resourceName matches ^[a-zA-Z0-9_]+$.
bool valid_resource_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

void check_range(const std::optional<std::int32_t>& v, std::int32_t lo, std::int32_t hi, const std::string& path,
                 DecodeContext& ctx) {
  if (!v) return;
  if (*v < lo) ctx.invalid(path, fmt::format("Invalid value: {}: {} in body should be greater than or equal to {}", *v, path, lo));
  if (*v > hi) ctx.invalid(path, fmt::format("Invalid value: {}: {} in body should be less than or equal to {}", *v, path, hi));
}

void check_resource_name(const std::string& name, DecodeContext& ctx) {
  if (!valid_resource_name(name))
    ctx.invalid("spec.resourceName",
                fmt::format("Invalid value: \"{}\": spec.resourceName in body should match '^[a-zA-Z0-9_]+$'", name));
}

void validate_policy(const Object& o, DecodeContext& ctx) {
  const auto& p = static_cast<const SriovNetworkNodePolicy&>(o);
  validate_metadata(p.metadata, true, NameRule::Subdomain, ctx);
  check_resource_name(p.spec.resourceName, ctx);
  check_range(p.spec.numVfs, 0, 127, "spec.numVfs", ctx);
  check_range(p.spec.priority, 0, 99, "spec.priority", ctx);
  check_range(p.spec.mtu, 1, 9192, "spec.mtu", ctx);
}

void default_policy(Object& o) {
  auto& p = static_cast<SriovNetworkNodePolicy&>(o);
  if (p.spec.deviceType.empty()) p.spec.deviceType = "netdevice";
  if (!p.spec.priority) p.spec.priority = 99;
}

void validate_network(const Object& o, DecodeContext& ctx) {
  const auto& n = static_cast<const SriovNetwork&>(o);
  validate_metadata(n.metadata, true, NameRule::Subdomain, ctx);
  check_resource_name(n.spec.resourceName, ctx);
  check_range(n.spec.vlan, 0, 4095, "spec.vlan", ctx);
  check_range(n.spec.vlanQoS, 0, 7, "spec.vlanQoS", ctx);
  check_range(n.spec.maxTxRate, 0, 2147483647, "spec.maxTxRate", ctx);
  check_range(n.spec.minTxRate, 0, 2147483647, "spec.minTxRate", ctx);
}

}  // namespace

const KindInfo& SriovNetworkNodePolicy::kind_info() {
  static const KindInfo info = with_schema<SriovNetworkNodePolicy>(
      {"SriovNetworkNodePolicy", "sriovnetwork.openshift.io/v1", "sriovnetworknodepolicies", {}, true, {},
       &decode_kind<SriovNetworkNodePolicy>, &validate_policy, &default_policy});
  return info;
}
const KindInfo& SriovNetwork::kind_info() {
  static const KindInfo info = with_schema<SriovNetwork>(
      {"SriovNetwork", "sriovnetwork.openshift.io/v1", "sriovnetworks", {}, true, {}, &decode_kind<SriovNetwork>,
       &validate_network, nullptr});
  return info;
}

}  // namespace kvsim::models
