#include "sim/apiserver/patch_schema.hpp"

namespace kvsim::sim::apiserver {
namespace {

// Shorthands for the table below.
FieldSchema of(const TypeSchema& t) { return FieldSchema{&t}; }
FieldSchema keyed(std::string_view key, const TypeSchema* item = nullptr,
                  std::vector<std::string_view> map_keys = {}) {
  FieldSchema f{item};
  f.merge = true;
  f.merge_key = key;
  f.map_keys = map_keys.empty() ? std::vector<std::string_view>{key} : std::move(map_keys);
  return f;
}
FieldSchema scalar_set() {
  FieldSchema f;
  f.merge = true;
  f.set = true;
  return f;
}

// metav1.ObjectMeta: finalizers merge as a set, ownerReferences by uid.
const TypeSchema kObjectMeta{{{"finalizers", scalar_set()}, {"ownerReferences", keyed("uid")}}};

// core/v1 Container: ports by containerPort (apply keys: containerPort, protocol),
// env by name, volumeMounts by mountPath, volumeDevices by devicePath.
const TypeSchema kContainer{{
    {"ports", keyed("containerPort", nullptr, {"containerPort", "protocol"})},
    {"env", keyed("name")},
    {"volumeMounts", keyed("mountPath")},
    {"volumeDevices", keyed("devicePath")},
}};

FieldSchema volumes() {
  FieldSchema f = keyed("name");
  f.retain_keys = true;  // patchStrategy "merge,retainKeys": one volume source replaces another
  return f;
}

// core/v1 PodSpec.
const TypeSchema kPodSpec{{
    {"containers", keyed("name", &kContainer)},
    {"initContainers", keyed("name", &kContainer)},
    {"ephemeralContainers", keyed("name", &kContainer)},
    {"volumes", volumes()},
    {"imagePullSecrets", keyed("name")},
    {"hostAliases", keyed("ip")},
    {"topologySpreadConstraints", keyed("topologyKey", nullptr, {"topologyKey", "whenUnsatisfiable"})},
    {"schedulingGates", keyed("name")},
    {"resourceClaims", [] {
       FieldSchema f = keyed("name");
       f.retain_keys = true;
       return f;
     }()},
}};

const TypeSchema kPodTemplateSpec{{{"metadata", of(kObjectMeta)}, {"spec", of(kPodSpec)}}};

// The status of most kinds: conditions merged by type.
const TypeSchema kConditionsStatus{{{"conditions", keyed("type")}}};

const TypeSchema kPodStatus{{
    {"conditions", keyed("type")},
    {"podIPs", keyed("ip")},
    {"hostIPs", keyed("ip")},
}};

const TypeSchema kPod{{{"metadata", of(kObjectMeta)}, {"spec", of(kPodSpec)}, {"status", of(kPodStatus)}}};

FieldSchema retain_keys(const TypeSchema* type = nullptr) {
  FieldSchema f{type};
  f.retain_keys = true;
  return f;
}

const TypeSchema kDeploymentSpec{{{"template", of(kPodTemplateSpec)}, {"strategy", retain_keys()}}};
const TypeSchema kWorkloadSpec{{{"template", of(kPodTemplateSpec)}}};

const TypeSchema kDeployment{
    {{"metadata", of(kObjectMeta)}, {"spec", of(kDeploymentSpec)}, {"status", of(kConditionsStatus)}}};
const TypeSchema kWorkload{{{"metadata", of(kObjectMeta)}, {"spec", of(kWorkloadSpec)}, {"status", of(kConditionsStatus)}}};

const TypeSchema kServiceSpec{{{"ports", keyed("port", nullptr, {"port", "protocol"})}}};
const TypeSchema kService{{{"metadata", of(kObjectMeta)}, {"spec", of(kServiceSpec)}, {"status", of(kConditionsStatus)}}};

const TypeSchema kNodeSpec{{{"podCIDRs", scalar_set()}}};
const TypeSchema kNodeStatus{{{"conditions", keyed("type")}, {"addresses", keyed("type")}}};
const TypeSchema kNode{{{"metadata", of(kObjectMeta)}, {"spec", of(kNodeSpec)}, {"status", of(kNodeStatus)}}};

// Namespace spec.finalizers is listType=atomic upstream; status conditions merge by type.
const TypeSchema kNamespace{{{"metadata", of(kObjectMeta)}, {"status", of(kConditionsStatus)}}};

// policy/v1 PodDisruptionBudget: spec.selector is patchStrategy replace.
const TypeSchema kPdbSpec{{{"selector", [] {
                              FieldSchema f;
                              f.replace = true;
                              return f;
                            }()}}};
const TypeSchema kPdb{{{"metadata", of(kObjectMeta)}, {"spec", of(kPdbSpec)}, {"status", of(kConditionsStatus)}}};

const TypeSchema kPvc{{{"metadata", of(kObjectMeta)}, {"status", of(kConditionsStatus)}}};

// Every other kind (and every custom resource): only metadata is typed.
const TypeSchema kMetadataOnly{{{"metadata", of(kObjectMeta)}}};

}  // namespace

bool builtin_kind(const models::KindInfo& kind) {
  const auto g = kind.group();
  return g.empty() || g == "apps" || g == "policy" || g == "scheduling.k8s.io" || g == "storage.k8s.io" ||
         g == "batch" || g == "networking.k8s.io" || g == "rbac.authorization.k8s.io" || g == "coordination.k8s.io";
}

const TypeSchema& schema_for(const models::KindInfo& kind) {
  if (!builtin_kind(kind)) return kMetadataOnly;
  const auto k = kind.kind;
  if (k == "Pod") return kPod;
  if (k == "Deployment") return kDeployment;
  if (k == "ReplicaSet" || k == "DaemonSet" || k == "StatefulSet") return kWorkload;
  if (k == "Service") return kService;
  if (k == "Node") return kNode;
  if (k == "Namespace") return kNamespace;
  if (k == "PodDisruptionBudget") return kPdb;
  if (k == "PersistentVolumeClaim") return kPvc;
  return kMetadataOnly;
}

}  // namespace kvsim::sim::apiserver
