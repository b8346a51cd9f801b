#include "sim/commands/describe_storage.hpp"

#include <algorithm>

#include "sim/commands/describe_writer.hpp"

namespace kvsim::sim::commands {

using namespace describing;

namespace {

// helper.GetAccessModesAsString: fixed order, abbreviated.
std::string access_modes_text(const std::vector<std::string>& modes) {
  std::vector<std::string> out;
  for (const auto& [mode, abbreviation] : {std::pair{"ReadWriteOnce", "RWO"}, std::pair{"ReadOnlyMany", "ROX"},
                                           std::pair{"ReadWriteMany", "RWX"}, std::pair{"ReadWriteOncePod", "RWOP"}})
    if (std::find(modes.begin(), modes.end(), mode) != modes.end()) out.emplace_back(abbreviation);
  return join(out);
}

// Go's %v of a []string: "[a b]".
std::string go_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return "[" + out + "]";
}

std::string storage_text(const models::ResourceList& list) {
  auto it = list.find("storage");
  return it == list.end() ? "0" : it->second.text();
}

void status_line(Out& o, const models::Object& obj, const std::string& phase, double now) {
  if (obj.metadata.deletionTimestamp) o.f(0, "Status:\tTerminating (lasts {})\n", age_since(obj.metadata.deletionTimestamp, now));
  else o.f(0, "Status:\t{}\n", phase);
}

void describe_pvc(Out& o, const models::PersistentVolumeClaim& pvc, double now,
                  const std::vector<models::ObjectPtr>* related) {
  o.f(0, "Name:\t{}\n", pvc.metadata.name);
  o.f(0, "Namespace:\t{}\n", pvc.metadata.namespace_);
  o.f(0, "StorageClass:\t{}\n", models::claim_class(pvc));
  status_line(o, pvc, pvc.status.phase, now);
  o.f(0, "Volume:\t{}\n", pvc.spec.volumeName);
  labels_multiline(o, "Labels", pvc.metadata.labels);
  annotations_multiline(o, "Annotations", pvc.metadata.annotations);
  o.f(0, "Finalizers:\t{}\n", go_list(pvc.metadata.finalizers));
  const bool bound = !pvc.spec.volumeName.empty();
  o.f(0, "Capacity:\t{}\n", bound ? storage_text(pvc.status.capacity) : std::string());
  o.f(0, "Access Modes:\t{}\n", bound ? access_modes_text(pvc.status.accessModes) : std::string());
  if (!pvc.spec.volumeMode.empty()) o.f(0, "VolumeMode:\t{}\n", pvc.spec.volumeMode);
  std::vector<std::string> users;
  if (related)
    for (const auto& r : *related) {
      const auto* pod = dynamic_cast<const models::Pod*>(r.get());
      if (!pod || pod->metadata.namespace_ != pvc.metadata.namespace_) continue;
      for (const auto& v : pod->spec.volumes)
        if (v.persistentVolumeClaim && v.persistentVolumeClaim->claimName == pvc.metadata.name) {
          users.push_back(pod->metadata.name);
          break;
        }
    }
  std::sort(users.begin(), users.end());
  o.w(0, "Used By:\t");
  if (users.empty()) o.w(0, "<none>\n");
  for (std::size_t i = 0; i < users.size(); ++i) o.f(0, "{}{}\n", i ? "\t" : "", users[i]);
}

void node_affinity(Out& o, const models::Json& affinity) {
  o.w(0, "Node Affinity:\t");
  const auto* required = affinity.is_object() && affinity.contains("required") ? &affinity["required"] : nullptr;
  if (!required || !required->is_object()) {
    o.w(0, "<none>\n");
    return;
  }
  o.w(0, "\n");
  o.w(1, "Required Terms:\t");
  const auto terms = required->value("nodeSelectorTerms", models::Json::array());
  if (!terms.is_array() || terms.empty()) {
    o.w(0, "<none>\n");
    return;
  }
  o.w(0, "\n");
  for (std::size_t i = 0; i < terms.size(); ++i) {
    o.f(2, "Term {}:\t", i);
    const auto expressions = terms[i].value("matchExpressions", models::Json::array());
    if (expressions.empty()) o.w(0, "<none>\n");
    for (std::size_t j = 0; j < expressions.size(); ++j) {
      const auto& e = expressions[j];
      std::string op = e.value("operator", "");
      std::transform(op.begin(), op.end(), op.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string text = e.value("key", "") + " " + op;
      if (auto values = e.value("values", models::Json::array()); !values.empty()) {
        std::vector<std::string> vs;
        for (const auto& v : values) vs.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        text += " [" + join(vs, ", ") + "]";
      }
      o.f(j ? 2 : 0, "{}{}\n", j ? "\t" : "", text);
    }
  }
}

void volume_source(Out& o, const models::PersistentVolume& pv) {
  o.w(0, "Source:\n");
  const auto& s = pv.spec;
  if (s.hostPath) {
    o.w(2, "Type:\tHostPath (bare host directory volume)\n");
    o.f(0, "    Path:\t{}\n", s.hostPath->path);
    o.f(0, "    HostPathType:\t{}\n", s.hostPath->type);
  } else if (s.csi.is_object()) {
    o.w(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n");
    o.f(0, "    Driver:\t{}\n", s.csi.value("driver", ""));
    o.f(0, "    FSType:\t{}\n", s.csi.value("fsType", ""));
    o.f(0, "    VolumeHandle:\t{}\n", s.csi.value("volumeHandle", ""));
    o.f(0, "    ReadOnly:\t{}\n", bool_text(s.csi.value("readOnly", false)));
    o.w(2, "VolumeAttributes:\t");
    const auto attributes = s.csi.value("volumeAttributes", models::Json::object());
    if (!attributes.is_object() || attributes.empty()) o.w(0, "<none>\n");
    bool first = true;
    for (const auto& [k, v] : attributes.items()) {
      o.f(first ? 0 : 2, "{}{}={}\n", first ? "" : "\t", k, v.is_string() ? v.get<std::string>() : v.dump());
      first = false;
    }
  } else if (s.local.is_object()) {
    o.w(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n");
    o.f(0, "    Path:\t{}\n", s.local.value("path", ""));
  } else if (s.nfs.is_object()) {
    o.w(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n");
    o.f(0, "    Server:\t{}\n", s.nfs.value("server", ""));
    o.f(0, "    Path:\t{}\n", s.nfs.value("path", ""));
    o.f(0, "    ReadOnly:\t{}\n", bool_text(s.nfs.value("readOnly", false)));
  } else {
    o.w(1, "<unknown>\n");
  }
}

void describe_pv(Out& o, const models::PersistentVolume& pv, double now) {
  o.f(0, "Name:\t{}\n", pv.metadata.name);
  labels_multiline(o, "Labels", pv.metadata.labels);
  annotations_multiline(o, "Annotations", pv.metadata.annotations);
  o.f(0, "Finalizers:\t{}\n", go_list(pv.metadata.finalizers));
  o.f(0, "StorageClass:\t{}\n", models::volume_class(pv));
  status_line(o, pv, pv.status.phase, now);
  o.f(0, "Claim:\t{}\n", pv.spec.claimRef ? pv.spec.claimRef->namespace_ + "/" + pv.spec.claimRef->name : std::string());
  o.f(0, "Reclaim Policy:\t{}\n", pv.spec.persistentVolumeReclaimPolicy);
  o.f(0, "Access Modes:\t{}\n", access_modes_text(pv.spec.accessModes));
  if (!pv.spec.volumeMode.empty()) o.f(0, "VolumeMode:\t{}\n", pv.spec.volumeMode);
  o.f(0, "Capacity:\t{}\n", storage_text(pv.spec.capacity));
  node_affinity(o, pv.spec.nodeAffinity);
  o.f(0, "Message:\t{}\n", pv.status.message);
  volume_source(o, pv);
}

void describe_sc(Out& o, const models::StorageClass& sc) {
  o.f(0, "Name:\t{}\n", sc.metadata.name);
  o.f(0, "IsDefaultClass:\t{}\n", sc.is_default() ? "Yes" : "No");
  o.f(0, "Annotations:\t{}\n", format_labels(sc.metadata.annotations));
  o.f(0, "Provisioner:\t{}\n", sc.provisioner);
  o.f(0, "Parameters:\t{}\n", format_labels(sc.parameters));
  o.f(0, "AllowVolumeExpansion:\t{}\n",
      sc.allowVolumeExpansion ? (*sc.allowVolumeExpansion ? "True" : "False") : "<unset>");
  if (sc.mountOptions.empty()) o.w(0, "MountOptions:\t<none>\n");
  else {
    o.w(0, "MountOptions:\n");
    for (const auto& m : sc.mountOptions) o.f(1, "{}\n", m);
  }
  if (!sc.reclaimPolicy.empty()) o.f(0, "ReclaimPolicy:\t{}\n", sc.reclaimPolicy);
  if (!sc.volumeBindingMode.empty()) o.f(0, "VolumeBindingMode:\t{}\n", sc.volumeBindingMode);
}

}  // namespace

std::optional<std::string> describe_storage(const models::Object& obj,
                                            const std::vector<std::shared_ptr<const models::Event>>& events,
                                            double now, const std::vector<models::ObjectPtr>* related) {
  Out o;
  if (const auto* pvc = dynamic_cast<const models::PersistentVolumeClaim*>(&obj)) describe_pvc(o, *pvc, now, related);
  else if (const auto* pv = dynamic_cast<const models::PersistentVolume*>(&obj)) describe_pv(o, *pv, now);
  else if (const auto* sc = dynamic_cast<const models::StorageClass*>(&obj)) describe_sc(o, *sc);
  else return std::nullopt;
  describe_events(o, events, now);
  return o.str();
}

}  // namespace kvsim::sim::commands
