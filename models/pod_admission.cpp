#include "models/pod_admission.hpp"

namespace kvsim::models {

DefaultTolerationSeconds& default_toleration_seconds() {
  static DefaultTolerationSeconds settings;
  return settings;
}

void add_default_tolerations(PodSpec& spec) {
  const auto& seconds = default_toleration_seconds();
  const std::pair<const char*, std::int64_t> keys[] = {{"node.kubernetes.io/not-ready", seconds.not_ready},
                                                       {"node.kubernetes.io/unreachable", seconds.unreachable}};
  for (const auto& [key, toleration_seconds] : keys) {
    // The plugin's test: a toleration with this key (or an empty key) and the
    // NoExecute effect (or any effect) already covers it.
    bool covered = false;
    for (const auto& t : spec.tolerations)
      if ((t.key == key || t.key.empty()) && (t.effect.empty() || t.effect == "NoExecute")) covered = true;
    if (!covered) spec.tolerations.push_back(Toleration{key, "Exists", "", "NoExecute", toleration_seconds});
  }
}

std::string pod_qos_class(const Pod& pod) {
  if (!pod.status.qosClass.empty()) return pod.status.qosClass;
  bool any = false, guaranteed = true;
  for (const auto& c : pod.spec.containers) {
    const auto& r = c.resources;
    if (!r.requests.empty() || !r.limits.empty()) any = true;
    for (const char* res : {"cpu", "memory"}) {
      auto lim = r.limits.find(res);
      auto req = r.requests.find(res);
      if (lim == r.limits.end() || (req != r.requests.end() && !(req->second == lim->second))) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

}  // namespace kvsim::models
