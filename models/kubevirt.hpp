#pragma once
// The kubevirt.io/v1 group: VirtualMachine (here), VirtualMachineInstance (kubevirt_vmi.hpp),
// VirtualMachineInstanceMigration, VirtualMachineInstanceReplicaSet; and Multus'
// NetworkAttachmentDefinition. Field names and required fields follow KubeVirt's OpenAPI schema.
#include "models/kubevirt_vmi.hpp"

namespace kvsim::models {


struct VMITemplateSpec {
  ObjectMeta metadata;
  VMISpec spec;
};
template <class V>
void visit_fields(V& v, VMITemplateSpec& t) {
  v.field("metadata", t.metadata);
  v.field("spec", t.spec);
}

struct DataVolumeTemplateSpec {
  std::string apiVersion, kind;
  ObjectMeta metadata;
  Json spec;
};
template <class V>
void visit_fields(V& v, DataVolumeTemplateSpec& t) {
  v.field("apiVersion", t.apiVersion);
  v.field("kind", t.kind);
  v.field("metadata", t.metadata);
  v.opaque("spec", t.spec);
  v.ignore("status");
}

// spec.instancetype / spec.preference: which instance type or preference the VM
// uses (kind defaults to the cluster-wide one), or the volume to infer it from.
struct InstancetypeMatcher {
  std::string name, kind, revisionName, inferFromVolume;
  std::optional<std::string> inferFromVolumeFailurePolicy;
};
template <class V>
void visit_fields(V& v, InstancetypeMatcher& m) {
  v.field("name", m.name);
  v.field("kind", m.kind);
  v.field("revisionName", m.revisionName);
  v.field("inferFromVolume", m.inferFromVolume);
  v.enumerated("inferFromVolumeFailurePolicy", m.inferFromVolumeFailurePolicy, {"Reject", "Ignore"});
}

struct VMSpec {
  std::optional<bool> running;
  std::optional<std::string> runStrategy;
  VMITemplateSpec template_;
  std::vector<DataVolumeTemplateSpec> dataVolumeTemplates;
  Boxed<InstancetypeMatcher> instancetype, preference;
  std::string updateVolumesStrategy;
};
template <class V>
void visit_fields(V& v, VMSpec& s) {
  v.field("running", s.running);
  v.enumerated("runStrategy", s.runStrategy, {"Always", "RerunOnFailure", "Manual", "Halted", "Once"});
  v.field("template", s.template_, Required);
  v.field("dataVolumeTemplates", s.dataVolumeTemplates);
  v.field("instancetype", s.instancetype);
  v.field("preference", s.preference);
  v.not_simulated("updateVolumesStrategy", s.updateVolumesStrategy, {"Replacement", "Migration"});
}

struct StateChangeRequest {
  std::string action;  // Start, Stop
  std::map<std::string, std::string> data;
  std::string uid;  // the VMI a Stop is meant for
};
template <class V>
void visit_fields(V& v, StateChangeRequest& r) {
  v.enumerated("action", r.action, {"Start", "Stop"}, Required);
  v.field("data", r.data);
  v.field("uid", r.uid);
}

struct StartFailure {
  std::int32_t consecutiveFailCount = 0;
  std::string lastFailedVMIUID;
  std::optional<Timestamp> retryAfterTimestamp;
};
template <class V>
void visit_fields(V& v, StartFailure& f) {
  v.field("consecutiveFailCount", f.consecutiveFailCount);
  v.field("lastFailedVMIUID", f.lastFailedVMIUID);
  v.field("retryAfterTimestamp", f.retryAfterTimestamp);
}

// status.instancetypeRef / preferenceRef: the ControllerRevision holding the
// instance type or preference the VM was expanded with.
struct ControllerRevisionRef {
  std::string name;
};
template <class V>
void visit_fields(V& v, ControllerRevisionRef& r) {
  v.field("name", r.name);
}
struct InstancetypeStatusRef {
  std::string name, kind;
  std::optional<ControllerRevisionRef> controllerRevisionRef;
  std::string inferFromVolume;
  std::optional<std::string> inferFromVolumeFailurePolicy;
};
template <class V>
void visit_fields(V& v, InstancetypeStatusRef& r) {
  v.field("name", r.name);
  v.field("kind", r.kind);
  v.field("controllerRevisionRef", r.controllerRevisionRef);
  v.field("inferFromVolume", r.inferFromVolume);
  v.enumerated("inferFromVolumeFailurePolicy", r.inferFromVolumeFailurePolicy, {"Reject", "Ignore"});
}

struct VMStatus {
  std::optional<bool> created, ready;
  std::string printableStatus;
  std::vector<Condition> conditions;
  std::vector<StateChangeRequest> stateChangeRequests;
  Boxed<StartFailure> startFailure;
  std::string runStrategy;
  std::int64_t observedGeneration = 0, desiredGeneration = 0;
  Boxed<InstancetypeStatusRef> instancetypeRef, preferenceRef;
};
template <class V>
void visit_fields(V& v, VMStatus& s) {
  v.field("created", s.created);
  v.field("ready", s.ready);
  v.field("printableStatus", s.printableStatus);
  v.field("conditions", s.conditions);
  v.field("stateChangeRequests", s.stateChangeRequests);
  v.field("startFailure", s.startFailure);
  v.field("runStrategy", s.runStrategy);
  v.field("observedGeneration", s.observedGeneration);
  v.field("desiredGeneration", s.desiredGeneration);
  v.field("instancetypeRef", s.instancetypeRef);
  v.field("preferenceRef", s.preferenceRef);
  for (const char* k : {"volumeSnapshotStatuses", "volumeRequests", "restoreInProgress", "snapshotInProgress",
                        "memoryDumpRequest", "volumeUpdateState",
                        "changedBlockTracking"})
    v.ignore(k);
}

struct VirtualMachine : ObjectOf<VirtualMachine> {
  VMSpec spec;
  VMStatus status;
  static const KindInfo& kind_info();
  // The strategy in force: runStrategy, else running true/false, else Halted.
  std::string run_strategy() const;
};
template <class V>
void visit_fields(V& v, VirtualMachine& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}

struct VMIMSpec {
  std::string vmiName, priority;
  std::map<std::string, std::string> addedNodeSelector;
};
template <class V>
void visit_fields(V& v, VMIMSpec& s) {
  v.field("vmiName", s.vmiName, Required);
  v.field("addedNodeSelector", s.addedNodeSelector);
  v.not_modelled("receive");
  v.not_modelled("sendTo");
  v.not_simulated("priority", s.priority);
}

struct VMIMStatus {
  std::string phase;
  std::vector<PhaseTransition> phaseTransitionTimestamps;
  std::vector<Condition> conditions;
  Json migrationState;
};
template <class V>
void visit_fields(V& v, VMIMStatus& s) {
  v.field("phase", s.phase);
  v.field("phaseTransitionTimestamps", s.phaseTransitionTimestamps);
  v.field("conditions", s.conditions);
  v.opaque("migrationState", s.migrationState);
  v.ignore("synchronizationAddresses");
}

struct VirtualMachineInstanceMigration : ObjectOf<VirtualMachineInstanceMigration> {
  VMIMSpec spec;
  VMIMStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, VirtualMachineInstanceMigration& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}

struct VMIRSSpec {
  std::optional<std::int32_t> replicas;
  std::optional<LabelSelector> selector;
  VMITemplateSpec template_;
  std::optional<bool> paused;
};
template <class V>
void visit_fields(V& v, VMIRSSpec& s) {
  v.field("replicas", s.replicas);
  v.field("selector", s.selector, Required);
  v.field("template", s.template_, Required);
  v.field("paused", s.paused);
}

struct VMIRSStatus {
  std::int32_t replicas = 0, readyReplicas = 0;
  std::vector<Condition> conditions;
  std::string labelSelector;
};
template <class V>
void visit_fields(V& v, VMIRSStatus& s) {
  v.field("replicas", s.replicas);
  v.field("readyReplicas", s.readyReplicas);
  v.field("conditions", s.conditions);
  v.field("labelSelector", s.labelSelector);
}

struct VirtualMachineInstanceReplicaSet : ObjectOf<VirtualMachineInstanceReplicaSet> {
  VMIRSSpec spec;
  VMIRSStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, VirtualMachineInstanceReplicaSet& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}


// k8s.cni.cncf.io/v1 NetworkAttachmentDefinition (Multus).
struct NADSpec {
  std::string config;
};
template <class V>
void visit_fields(V& v, NADSpec& s) {
  v.field("config", s.config);
}
struct NetworkAttachmentDefinition : ObjectOf<NetworkAttachmentDefinition> {
  NADSpec spec;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, NetworkAttachmentDefinition& o) {
  visit_header(v, o);
  v.field("spec", o.spec);
}

}  // namespace kvsim::models
