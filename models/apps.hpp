#pragma once
// The apps/v1 group: ReplicaSet, Deployment, DaemonSet, StatefulSet.
#include "models/core.hpp"

namespace kvsim::models {

struct ReplicaSetSpec {
  std::optional<std::int32_t> replicas;
  std::int32_t minReadySeconds = 0;
  std::optional<LabelSelector> selector;
  PodTemplateSpec template_;
};
template <class V>
void visit_fields(V& v, ReplicaSetSpec& s) {
  v.field("replicas", s.replicas);
  v.field("minReadySeconds", s.minReadySeconds);
  v.field("selector", s.selector, Required);
  v.field("template", s.template_);
}

struct ReplicaSetStatus {
  std::int32_t replicas = 0;
  std::int32_t fullyLabeledReplicas = 0;
  std::int32_t readyReplicas = 0;
  std::int32_t availableReplicas = 0;
  std::int64_t observedGeneration = 0;
  std::vector<Condition> conditions;
};
template <class V>
void visit_fields(V& v, ReplicaSetStatus& s) {
  v.field("replicas", s.replicas, Always);
  v.field("fullyLabeledReplicas", s.fullyLabeledReplicas);
  v.field("readyReplicas", s.readyReplicas);
  v.field("availableReplicas", s.availableReplicas);
  v.field("observedGeneration", s.observedGeneration);
  v.field("conditions", s.conditions);
  v.ignore("terminatingReplicas");
}

struct ReplicaSet : ObjectOf<ReplicaSet> {
  ReplicaSetSpec spec;
  ReplicaSetStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, ReplicaSet& r) {
  visit_header(v, r);
  v.field("spec", r.spec, Required);
  v.field("status", r.status);
}

struct RollingUpdateDeployment {
  std::optional<IntOrString> maxUnavailable;
  std::optional<IntOrString> maxSurge;
};
template <class V>
void visit_fields(V& v, RollingUpdateDeployment& r) {
  v.field("maxUnavailable", r.maxUnavailable);
  v.field("maxSurge", r.maxSurge);
}

struct DeploymentStrategy {
  std::string type;
  std::optional<RollingUpdateDeployment> rollingUpdate;
};
template <class V>
void visit_fields(V& v, DeploymentStrategy& s) {
  v.enumerated("type", s.type, {"RollingUpdate", "Recreate"});
  v.field("rollingUpdate", s.rollingUpdate);
}

struct DeploymentSpec {
  std::optional<std::int32_t> replicas;
  std::optional<LabelSelector> selector;
  PodTemplateSpec template_;
  DeploymentStrategy strategy;
  std::int32_t minReadySeconds = 0;
  std::optional<std::int32_t> revisionHistoryLimit;
  std::optional<bool> paused;
  std::optional<std::int32_t> progressDeadlineSeconds;
};
template <class V>
void visit_fields(V& v, DeploymentSpec& s) {
  v.field("replicas", s.replicas);
  v.field("selector", s.selector, Required);
  v.field("template", s.template_, Required);
  v.field("strategy", s.strategy);
  v.field("minReadySeconds", s.minReadySeconds);
  v.field("revisionHistoryLimit", s.revisionHistoryLimit);
  v.field("paused", s.paused);
  v.field("progressDeadlineSeconds", s.progressDeadlineSeconds);
}

struct DeploymentStatus {
  std::int64_t observedGeneration = 0;
  std::int32_t replicas = 0, updatedReplicas = 0, readyReplicas = 0, availableReplicas = 0, unavailableReplicas = 0;
  std::vector<Condition> conditions;
};
template <class V>
void visit_fields(V& v, DeploymentStatus& s) {
  v.field("observedGeneration", s.observedGeneration);
  v.field("replicas", s.replicas);
  v.field("updatedReplicas", s.updatedReplicas);
  v.field("readyReplicas", s.readyReplicas);
  v.field("availableReplicas", s.availableReplicas);
  v.field("unavailableReplicas", s.unavailableReplicas);
  v.field("conditions", s.conditions);
  v.ignore("collisionCount");
  v.ignore("terminatingReplicas");
}

struct Deployment : ObjectOf<Deployment> {
  DeploymentSpec spec;
  DeploymentStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Deployment& d) {
  visit_header(v, d);
  v.field("spec", d.spec, Required);
  v.field("status", d.status);
}

struct RollingUpdateDaemonSet {
  std::optional<IntOrString> maxUnavailable;
  std::optional<IntOrString> maxSurge;
};
template <class V>
void visit_fields(V& v, RollingUpdateDaemonSet& r) {
  v.field("maxUnavailable", r.maxUnavailable);
  v.field("maxSurge", r.maxSurge);
}

struct DaemonSetUpdateStrategy {
  std::string type;
  std::optional<RollingUpdateDaemonSet> rollingUpdate;
};
template <class V>
void visit_fields(V& v, DaemonSetUpdateStrategy& s) {
  v.enumerated("type", s.type, {"RollingUpdate", "OnDelete"});
  v.field("rollingUpdate", s.rollingUpdate);
}

struct DaemonSetSpec {
  std::optional<LabelSelector> selector;
  PodTemplateSpec template_;
  DaemonSetUpdateStrategy updateStrategy;
  std::int32_t minReadySeconds = 0;
  std::optional<std::int32_t> revisionHistoryLimit;
};
template <class V>
void visit_fields(V& v, DaemonSetSpec& s) {
  v.field("selector", s.selector, Required);
  v.field("template", s.template_, Required);
  v.field("updateStrategy", s.updateStrategy);
  v.field("minReadySeconds", s.minReadySeconds);
  v.field("revisionHistoryLimit", s.revisionHistoryLimit);
}

struct DaemonSetStatus {
  std::int32_t currentNumberScheduled = 0, numberMisscheduled = 0, desiredNumberScheduled = 0, numberReady = 0;
  std::int32_t updatedNumberScheduled = 0, numberAvailable = 0, numberUnavailable = 0;
  std::int64_t observedGeneration = 0;
};
template <class V>
void visit_fields(V& v, DaemonSetStatus& s) {
  v.field("currentNumberScheduled", s.currentNumberScheduled);
  v.field("numberMisscheduled", s.numberMisscheduled);
  v.field("desiredNumberScheduled", s.desiredNumberScheduled);
  v.field("numberReady", s.numberReady);
  v.field("updatedNumberScheduled", s.updatedNumberScheduled);
  v.field("numberAvailable", s.numberAvailable);
  v.field("numberUnavailable", s.numberUnavailable);
  v.field("observedGeneration", s.observedGeneration);
  v.ignore("conditions");
  v.ignore("collisionCount");
}

struct DaemonSet : ObjectOf<DaemonSet> {
  DaemonSetSpec spec;
  DaemonSetStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, DaemonSet& d) {
  visit_header(v, d);
  v.field("spec", d.spec, Required);
  v.field("status", d.status);
}

// A PVC embedded in a StatefulSet's volumeClaimTemplates.
struct PersistentVolumeClaimTemplate {
  std::string apiVersion, kind;
  ObjectMeta metadata;
  PersistentVolumeClaimSpec spec;
};
template <class V>
void visit_fields(V& v, PersistentVolumeClaimTemplate& t) {
  v.field("apiVersion", t.apiVersion);
  v.field("kind", t.kind);
  v.field("metadata", t.metadata);
  v.field("spec", t.spec);
  v.ignore("status");
}

struct RollingUpdateStatefulSet {
  std::optional<std::int32_t> partition;
  std::optional<IntOrString> maxUnavailable;
};
template <class V>
void visit_fields(V& v, RollingUpdateStatefulSet& r) {
  v.field("partition", r.partition);
  v.field("maxUnavailable", r.maxUnavailable);
}

struct StatefulSetUpdateStrategy {
  std::string type;
  std::optional<RollingUpdateStatefulSet> rollingUpdate;
};
template <class V>
void visit_fields(V& v, StatefulSetUpdateStrategy& s) {
  v.enumerated("type", s.type, {"RollingUpdate", "OnDelete"});
  v.field("rollingUpdate", s.rollingUpdate);
}

struct PVCRetentionPolicy {
  std::string whenDeleted, whenScaled;
};
template <class V>
void visit_fields(V& v, PVCRetentionPolicy& p) {
  v.enumerated("whenDeleted", p.whenDeleted, {"Retain", "Delete"});
  v.enumerated("whenScaled", p.whenScaled, {"Retain", "Delete"});
}

struct StatefulSetSpec {
  std::optional<std::int32_t> replicas;
  std::optional<LabelSelector> selector;
  PodTemplateSpec template_;
  std::vector<PersistentVolumeClaimTemplate> volumeClaimTemplates;
  std::string serviceName;
  std::string podManagementPolicy;
  StatefulSetUpdateStrategy updateStrategy;
  std::int32_t minReadySeconds = 0;
  std::optional<std::int32_t> revisionHistoryLimit;
  std::optional<PVCRetentionPolicy> persistentVolumeClaimRetentionPolicy;
};
template <class V>
void visit_fields(V& v, StatefulSetSpec& s) {
  v.field("replicas", s.replicas);
  v.field("selector", s.selector, Required);
  v.field("template", s.template_, Required);
  v.field("volumeClaimTemplates", s.volumeClaimTemplates);
  v.field("serviceName", s.serviceName);
  v.enumerated("podManagementPolicy", s.podManagementPolicy, {"OrderedReady", "Parallel"});
  v.field("updateStrategy", s.updateStrategy);
  v.field("minReadySeconds", s.minReadySeconds);
  v.field("revisionHistoryLimit", s.revisionHistoryLimit);
  v.field("persistentVolumeClaimRetentionPolicy", s.persistentVolumeClaimRetentionPolicy);
  v.not_modelled("ordinals");
}

struct StatefulSetStatus {
  std::int64_t observedGeneration = 0;
  std::int32_t replicas = 0, readyReplicas = 0, currentReplicas = 0, updatedReplicas = 0, availableReplicas = 0;
  std::string currentRevision, updateRevision;
};
template <class V>
void visit_fields(V& v, StatefulSetStatus& s) {
  v.field("observedGeneration", s.observedGeneration);
  v.field("replicas", s.replicas);
  v.field("readyReplicas", s.readyReplicas);
  v.field("currentReplicas", s.currentReplicas);
  v.field("updatedReplicas", s.updatedReplicas);
  v.field("availableReplicas", s.availableReplicas);
  v.field("currentRevision", s.currentRevision);
  v.field("updateRevision", s.updateRevision);
  v.ignore("collisionCount");
  v.ignore("conditions");
}

struct StatefulSet : ObjectOf<StatefulSet> {
  StatefulSetSpec spec;
  StatefulSetStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, StatefulSet& s) {
  visit_header(v, s);
  v.field("spec", s.spec, Required);
  v.field("status", s.status);
}

}  // namespace kvsim::models
