#pragma once
// ObjectMeta, OwnerReference, and the base every API object derives from.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"
#include "models/codec/encoder.hpp"
#include "models/label_selector.hpp"
#include "models/sparse.hpp"

namespace kvsim::models {

using Annotations = std::map<std::string, std::string>;

struct OwnerReference {
  std::string apiVersion;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> blockOwnerDeletion;
};

template <class V>
void visit_fields(V& v, OwnerReference& o) {
  v.field("apiVersion", o.apiVersion, Required);
  v.field("kind", o.kind, Required);
  v.field("name", o.name, Required);
  v.field("uid", o.uid, Required);
  v.field("controller", o.controller);
  v.field("blockOwnerDeletion", o.blockOwnerDeletion);
}

// What `kubectl apply` (client-side) keeps of the last configuration it applied.
inline constexpr const char* kLastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

struct ObjectMeta {
  std::string name;
  std::string generateName;
  std::string namespace_;
  std::string uid;
  std::string resourceVersion;
  std::int64_t generation = 0;
  std::optional<Timestamp> creationTimestamp;
  std::optional<Timestamp> deletionTimestamp;
  std::optional<std::int64_t> deletionGracePeriodSeconds;
  // Held only when set: most objects leave some of these empty, and an Event all four.
  Sparse<Labels> labels;
  Sparse<Annotations> annotations;
  Sparse<std::vector<OwnerReference>> ownerReferences;
  Sparse<std::vector<std::string>> finalizers;
  // Field ownership as the API server records it (sim/apiserver/managed_fields.hpp):
  // kept as written, so `kubectl get --show-managed-fields` shows it; kvsim's own
  // components neither read nor write it.
  Json managedFields;

  // The ownerReference with controller: true, if any.
  const OwnerReference* controller_ref() const;
  bool has_finalizer(std::string_view f) const;
  bool being_deleted() const { return deletionTimestamp.has_value(); }
};

template <class V>
void visit_fields(V& v, ObjectMeta& m) {
  v.field("name", m.name);
  v.field("generateName", m.generateName);
  v.field("namespace", m.namespace_);
  v.field("uid", m.uid);
  v.field("resourceVersion", m.resourceVersion);
  v.field("generation", m.generation);
  v.field("creationTimestamp", m.creationTimestamp);
  v.field("deletionTimestamp", m.deletionTimestamp);
  v.field("deletionGracePeriodSeconds", m.deletionGracePeriodSeconds);
  v.field("labels", m.labels);
  v.field("annotations", m.annotations);
  v.field("ownerReferences", m.ownerReferences);
  v.field("finalizers", m.finalizers);
  v.opaque("managedFields", m.managedFields);
  v.ignore("selfLink");
}

// A condition as KubeVirt and Kubernetes both write them.
struct Condition {
  std::string type;
  std::string status;  // True, False, Unknown
  std::string reason;
  std::string message;
  // Set by set_condition(); default-initialized so {type, status, reason,
  // message} is a complete condition.
  std::optional<Timestamp> lastTransitionTime = std::nullopt;
  std::optional<Timestamp> lastProbeTime = std::nullopt;
  std::optional<Timestamp> lastHeartbeatTime = std::nullopt;
  // Deployment conditions: when progress was last reported (progressDeadlineSeconds counts from it).
  std::optional<Timestamp> lastUpdateTime = std::nullopt;
};

template <class V>
void visit_fields(V& v, Condition& c) {
  v.field("type", c.type, Required);
  v.field("status", c.status, Required);
  v.field("reason", c.reason);
  v.field("message", c.message);
  v.field("lastTransitionTime", c.lastTransitionTime);
  v.field("lastProbeTime", c.lastProbeTime);
  v.field("lastHeartbeatTime", c.lastHeartbeatTime);
  v.field("lastUpdateTime", c.lastUpdateTime);
}

const Condition* find_condition(const std::vector<Condition>& conditions, std::string_view type);
// Sets a condition; the transition time moves only when the status changes.
// Returns true when anything changed.
bool set_condition(std::vector<Condition>& conditions, Condition c, double now);

struct KindInfo;

// Every API object: typed data, copied on write (the store hands out
// shared_ptr<const T> snapshots; a writer clones, edits and writes back).
struct Object {
  virtual ~Object() = default;
  std::string apiVersion;
  std::string kind;
  ObjectMeta metadata;

  virtual const KindInfo& info() const = 0;
  virtual std::shared_ptr<Object> clone() const = 0;
  virtual Json to_json() const = 0;
};

using ObjectPtr = std::shared_ptr<const Object>;

template <class T>
struct ObjectOf : Object {
  const KindInfo& info() const override { return T::kind_info(); }
  std::shared_ptr<Object> clone() const override { return std::make_shared<T>(static_cast<const T&>(*this)); }
  Json to_json() const override { return encode_value(static_cast<const T&>(*this)); }
};

// Declares apiVersion/kind/metadata for a kind's visit_fields.
template <class V, class T>
void visit_header(V& v, T& o) {
  v.field("apiVersion", o.apiVersion, Required);
  v.field("kind", o.kind, Required);
  v.field("metadata", o.metadata);
}

}  // namespace kvsim::models
