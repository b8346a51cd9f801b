#pragma once
// A StatefulSet's stable identities (upstream pkg/controller/statefulset
// stateful_set_utils.go): pod `<set>-<ordinal>` with hostname, subdomain and
// identity labels; claims `<template>-<set>-<ordinal>` mounted as the
// template's volume; revisions `<set>-<hash>`; and the claims' ownerReferences
// that persistentVolumeClaimRetentionPolicy asks for.
#include <memory>
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::statefulset {

inline constexpr const char* kPodNameLabel = "statefulset.kubernetes.io/pod-name";
inline constexpr const char* kPodIndexLabel = "apps.kubernetes.io/pod-index";
inline constexpr const char* kRevisionLabel = "controller-revision-hash";

std::string pod_name(const models::StatefulSet& set, int ordinal);
// The ordinal of `<set>-<n>`; -1 for any other name.
int ordinal_of(const models::StatefulSet& set, const std::string& pod_name);
std::string claim_name(const models::StatefulSet& set, const models::PersistentVolumeClaimTemplate& t, int ordinal);
// `<set>-<hash of the template>`: the name upstream gives the ControllerRevision,
// and the value of the pods' controller-revision-hash label.
std::string revision_name(const models::StatefulSet& set, const models::PodTemplateSpec& t);
// The revision a pod was made from (its controller-revision-hash label), or "".
std::string pod_revision(const models::Pod& pod);

// The pod for `ordinal` from `tmpl` (the template of revision `revision`):
// hostname = its name, subdomain = serviceName, the identity and revision
// labels, one persistentVolumeClaim volume per claim template (replacing a
// template volume of the same name), a controller ownerReference to the set.
std::shared_ptr<models::Pod> new_stateful_pod(const models::StatefulSet& set, const models::PodTemplateSpec& tmpl,
                                              int ordinal, const std::string& revision);

// The claim for `ordinal` from template `t`: its labels plus the selector's
// matchLabels, in the set's namespace, owned as the retention policy says for
// a pod that is not being scaled away (the set, when whenDeleted is Delete).
std::shared_ptr<models::PersistentVolumeClaim> new_claim(const models::StatefulSet& set,
                                                         const models::PersistentVolumeClaimTemplate& t, int ordinal);

// The ownerReferences `claim` should carry (upstream updateClaimOwnerRefForSetAndPod):
// references to the set or `pod` are dropped, then whenDeleted=Delete adds a
// controller reference to the set unless the pod is condemned and
// whenScaled=Delete, which makes the pod the controller instead, so the
// garbage collector deletes the claim with the pod. A claim another
// controller owns gets no new reference. `pod` may be null (not created yet).
std::vector<models::OwnerReference> desired_claim_owners(const models::PersistentVolumeClaim& claim,
                                                         const models::StatefulSet& set, const models::Pod* pod,
                                                         bool condemned);

}  // namespace kvsim::sim::controllers::statefulset
