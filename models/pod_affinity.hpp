#pragma once
// Kubernetes core v1 scheduling types kvsim keeps but does not simulate yet
// (its scheduler has no inter-pod affinity or topology spreading; Affinity and
// the VMI spec declare them `not_simulated`): typed, so
// that a misspelt field is refused, and written back as they came. Field
// names and types follow the Kubernetes API (core/v1 types.go).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"
#include "models/label_selector.hpp"

namespace kvsim::models {

struct PodAffinityTerm {
  std::optional<LabelSelector> labelSelector, namespaceSelector;
  std::vector<std::string> namespaces, matchLabelKeys, mismatchLabelKeys;
  std::string topologyKey;
};
template <class V>
void visit_fields(V& v, PodAffinityTerm& t) {
  v.field("labelSelector", t.labelSelector);
  v.field("namespaces", t.namespaces);
  v.field("topologyKey", t.topologyKey, Required);
  v.field("namespaceSelector", t.namespaceSelector);
  v.field("matchLabelKeys", t.matchLabelKeys);
  v.field("mismatchLabelKeys", t.mismatchLabelKeys);
}

struct WeightedPodAffinityTerm {
  std::int32_t weight = 0;
  PodAffinityTerm podAffinityTerm;
};
template <class V>
void visit_fields(V& v, WeightedPodAffinityTerm& t) {
  v.field("weight", t.weight, Required);
  v.field("podAffinityTerm", t.podAffinityTerm, Required);
}

struct PodAffinity {
  std::vector<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution;
  std::vector<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution;
};
template <class V>
void visit_fields(V& v, PodAffinity& a) {
  v.field("requiredDuringSchedulingIgnoredDuringExecution", a.requiredDuringSchedulingIgnoredDuringExecution);
  v.field("preferredDuringSchedulingIgnoredDuringExecution", a.preferredDuringSchedulingIgnoredDuringExecution);
}

// The same two lists upstream, under its own name (the one `kubectl explain` prints).
struct PodAntiAffinity : PodAffinity {};
template <class V>
void visit_fields(V& v, PodAntiAffinity& a) {
  visit_fields(v, static_cast<PodAffinity&>(a));
}

struct TopologySpreadConstraint {
  std::int32_t maxSkew = 0;
  std::string topologyKey, whenUnsatisfiable;
  std::optional<LabelSelector> labelSelector;
  std::optional<std::int32_t> minDomains;
  std::optional<std::string> nodeAffinityPolicy, nodeTaintsPolicy;
  std::vector<std::string> matchLabelKeys;
};
template <class V>
void visit_fields(V& v, TopologySpreadConstraint& t) {
  v.field("maxSkew", t.maxSkew, Required);
  v.field("topologyKey", t.topologyKey, Required);
  v.enumerated("whenUnsatisfiable", t.whenUnsatisfiable, {"DoNotSchedule", "ScheduleAnyway"}, Required);
  v.field("labelSelector", t.labelSelector);
  v.field("minDomains", t.minDomains);
  v.enumerated("nodeAffinityPolicy", t.nodeAffinityPolicy, {"Honor", "Ignore"});
  v.enumerated("nodeTaintsPolicy", t.nodeTaintsPolicy, {"Honor", "Ignore"});
  v.field("matchLabelKeys", t.matchLabelKeys);
}

}  // namespace kvsim::models
