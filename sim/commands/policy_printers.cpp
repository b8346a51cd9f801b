#include "sim/commands/policy_printers.hpp"

#include "sim/commands/printers.hpp"

namespace kvsim::sim::commands {

std::vector<std::string> pdb_row(const models::Object& o, double now, bool) {
  const auto& pdb = static_cast<const models::PodDisruptionBudget&>(o);
  auto bound = [](const std::optional<models::IntOrString>& v) {
    if (!v) return std::string("N/A");
    return v->is_string ? v->str_value : std::to_string(v->int_value);
  };
  return {pdb.metadata.name, bound(pdb.spec.minAvailable), bound(pdb.spec.maxUnavailable),
          std::to_string(pdb.status.disruptionsAllowed), age_since(pdb.metadata.creationTimestamp, now)};
}

}  // namespace kvsim::sim::commands
