#pragma once
// The storage.k8s.io/v1 group: StorageClass (how claims of a class are
// provisioned and bound) and VolumeAttachment (a volume attached to a node,
// as the attach/detach controller records it for CSI volumes).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

// Annotation marking the class a claim without storageClassName gets.
inline constexpr const char* kDefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
inline constexpr const char* kBetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";
// A class with this provisioner has no dynamic provisioning (local PVs made by hand).
inline constexpr const char* kNoProvisioner = "kubernetes.io/no-provisioner";

struct StorageClass : ObjectOf<StorageClass> {
  std::string provisioner;
  std::map<std::string, std::string> parameters;
  std::string reclaimPolicy;  // Delete (default) or Retain
  std::vector<std::string> mountOptions;
  std::optional<bool> allowVolumeExpansion;
  std::string volumeBindingMode;  // Immediate (default) or WaitForFirstConsumer
  Json allowedTopologies;
  static const KindInfo& kind_info();

  bool is_default() const;
  bool wait_for_first_consumer() const { return volumeBindingMode == "WaitForFirstConsumer"; }
};
template <class V>
void visit_fields(V& v, StorageClass& s) {
  visit_header(v, s);
  v.field("provisioner", s.provisioner, Required);
  v.field("parameters", s.parameters);
  v.enumerated("reclaimPolicy", s.reclaimPolicy, {"Delete", "Retain"});
  v.field("mountOptions", s.mountOptions);
  v.field("allowVolumeExpansion", s.allowVolumeExpansion);
  v.enumerated("volumeBindingMode", s.volumeBindingMode, {"Immediate", "WaitForFirstConsumer"});
  v.opaque("allowedTopologies", s.allowedTopologies);
}

struct VolumeAttachmentSource {
  std::string persistentVolumeName;
};
template <class V>
void visit_fields(V& v, VolumeAttachmentSource& s) {
  v.field("persistentVolumeName", s.persistentVolumeName);
  v.not_modelled("inlineVolumeSpec");
}

struct VolumeAttachmentSpec {
  std::string attacher;
  std::string nodeName;
  VolumeAttachmentSource source;
};
template <class V>
void visit_fields(V& v, VolumeAttachmentSpec& s) {
  v.field("attacher", s.attacher, Required);
  v.field("nodeName", s.nodeName, Required);
  v.field("source", s.source, Required);
}

struct VolumeAttachmentStatus {
  bool attached = false;
  std::map<std::string, std::string> attachmentMetadata;
  Json attachError, detachError;
};
template <class V>
void visit_fields(V& v, VolumeAttachmentStatus& s) {
  v.field("attached", s.attached, Always);
  v.field("attachmentMetadata", s.attachmentMetadata);
  v.opaque("attachError", s.attachError);
  v.opaque("detachError", s.detachError);
}

struct VolumeAttachment : ObjectOf<VolumeAttachment> {
  VolumeAttachmentSpec spec;
  VolumeAttachmentStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, VolumeAttachment& a) {
  visit_header(v, a);
  v.field("spec", a.spec, Required);
  v.field("status", a.status);
}

// The claim's class as the PV controller reads it: spec.storageClassName, else
// the beta annotation; "" means "no class".
std::string claim_class(const PersistentVolumeClaim& pvc);
std::string volume_class(const PersistentVolume& pv);

}  // namespace kvsim::models
