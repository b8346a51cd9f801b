#include "models/policy.hpp"

#include <fmt/format.h>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

std::string text_of(const IntOrString& v) { return v.is_string ? v.str_value : std::to_string(v.int_value); }

// apps validation's ValidatePositiveIntOrPercent and IsNotMoreThan100Percent.
void validate_int_or_percent(const IntOrString& v, const std::string& path, DecodeContext& ctx) {
  if (!v.is_string) {
    if (v.int_value < 0) ctx.invalid(path, fmt::format("Invalid value: {}: must be greater than or equal to 0", v.int_value));
    return;
  }
  const auto pct = v.scaled(100, false);
  if (!pct) {
    ctx.invalid(path, invalid_value(v.str_value,
                                    "a valid percent string must be a numeric string followed by an ending '%' "
                                    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    return;
  }
  if (*pct > 100) ctx.invalid(path, invalid_value(v.str_value, "must not be greater than 100%"));
}

void validate_pdb(const Object& o, DecodeContext& ctx) {
  const auto& pdb = static_cast<const PodDisruptionBudget&>(o);
  validate_metadata(pdb.metadata, true, NameRule::Subdomain, ctx);
  const auto& s = pdb.spec;
  if (s.minAvailable && s.maxUnavailable)
    ctx.invalid("spec", invalid_value(fmt::format("minAvailable: {}, maxUnavailable: {}", text_of(*s.minAvailable),
                                                  text_of(*s.maxUnavailable)),
                                      "minAvailable and maxUnavailable cannot be both set"));
  if (s.minAvailable) validate_int_or_percent(*s.minAvailable, "spec.minAvailable", ctx);
  if (s.maxUnavailable) validate_int_or_percent(*s.maxUnavailable, "spec.maxUnavailable", ctx);
  if (s.selector)
    for (const auto& problem : validate_selector(*s.selector, "spec.selector")) {
      const auto colon = problem.find(": ");
      if (colon == std::string::npos) ctx.invalid("spec.selector", problem);
      else ctx.invalid(problem.substr(0, colon), problem.substr(colon + 2));
    }
}

}  // namespace

bool pdb_selects(const PodDisruptionBudget& pdb, const Labels& pod_labels) {
  return pdb.spec.selector && pdb.spec.selector->matches(pod_labels);
}

const KindInfo& PodDisruptionBudget::kind_info() {
  static const KindInfo info = with_schema<PodDisruptionBudget>(
      {"PodDisruptionBudget", "policy/v1", "poddisruptionbudgets", {"pdb"}, true, {}, &decode_kind<PodDisruptionBudget>,
       &validate_pdb});
  return info;
}

}  // namespace kvsim::models
