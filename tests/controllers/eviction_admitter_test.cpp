// virt-api's eviction webhook for launcher pods as a table (FIDELITY.md §7;
// pod-eviction-admitter.go): evictionStrategy x LiveMigratable -> allow, deny, or
// mark the VMI (status.evacuationNodeName) and keep the pod.
#include <catch2/catch.hpp>

#include "sim/kubevirt/eviction_admitter.hpp"

using namespace kvsim;
using sim::kubevirt::admit_launcher_eviction;
using sim::kubevirt::EvictionAdmission;

TEST_CASE("a launcher pod's eviction follows the VMI's evictionStrategy, else the cluster's") {
  struct Row {
    std::optional<std::string> vmi_strategy;
    const char* cluster;  // KubeVirt CR default ("None": unset upstream; HCO: LiveMigrate)
    bool migratable;
    EvictionAdmission::Verdict verdict;
  };
  using V = EvictionAdmission::Verdict;
  const Row rows[] = {
      {std::nullopt, "None", true, V::Allow},
      {std::nullopt, "LiveMigrate", true, V::MarkAndKeep},
      {std::nullopt, "LiveMigrate", false, V::Deny},
      {"None", "LiveMigrate", false, V::Allow},  // the VMI's own choice wins
      {"LiveMigrate", "None", true, V::MarkAndKeep},
      {"LiveMigrate", "None", false, V::Deny},
      {"LiveMigrateIfPossible", "None", true, V::MarkAndKeep},
      {"LiveMigrateIfPossible", "None", false, V::Allow},
      {"External", "None", false, V::MarkAndKeep},
      {"External", "None", true, V::MarkAndKeep},
  };
  for (const auto& r : rows) {
    INFO(r.vmi_strategy.value_or("(unset)") << " / cluster " << r.cluster << " / migratable " << r.migratable);
    models::VirtualMachineInstance vmi;
    vmi.metadata.name = "vm1";
    vmi.spec.evictionStrategy = r.vmi_strategy;
    vmi.status.phase = "Running";
    vmi.status.nodeName = "worker-1";
    vmi.status.conditions.push_back({"LiveMigratable", r.migratable ? "True" : "False",
                                     r.migratable ? "" : "DisksNotLiveMigratable", ""});
    const auto a = admit_launcher_eviction(vmi, "worker-1", r.cluster);
    CHECK(a.verdict == r.verdict);
    if (a.verdict == V::Deny) CHECK(a.message == "VMI vm1 is configured with an eviction strategy but is not live-migratable");
    // The pod of another node (a migration target) is never marked for.
    if (r.verdict == V::MarkAndKeep) CHECK(admit_launcher_eviction(vmi, "worker-2", r.cluster).verdict == V::Allow);
  }
}
