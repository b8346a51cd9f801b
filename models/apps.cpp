#include "models/apps.hpp"

#include <fmt/format.h>

#include "models/codec/encoder.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

void validate_replicas(const std::optional<std::int32_t>& replicas, DecodeContext& ctx) {
  if (replicas && *replicas < 0)
    ctx.invalid("spec.replicas", invalid_value(std::to_string(*replicas), "must be greater than or equal to 0"));
}

void validate_template(const PodTemplateSpec& t, DecodeContext& ctx) {
  validate_pod_spec(t.spec, "spec.template.spec", ctx);
  if (!t.spec.restartPolicy.empty() && t.spec.restartPolicy != "Always")
    ctx.invalid("spec.template.spec.restartPolicy",
                fmt::format("Unsupported value: \"{}\": supported values: \"Always\"", t.spec.restartPolicy));
}

// The API server prints the Go value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, ...}.
std::string go_selector(const std::optional<LabelSelector>& sel) {
  if (!sel) return "nil";
  std::string labels;
  for (const auto& [k, v] : sel->matchLabels) labels += fmt::format("{}\"{}\":\"{}\"", labels.empty() ? "" : ", ", k, v);
  std::string exprs = "[]v1.LabelSelectorRequirement(nil)";
  if (!sel->matchExpressions.empty()) {
    exprs = "[]v1.LabelSelectorRequirement{";
    for (std::size_t i = 0; i < sel->matchExpressions.size(); ++i) {
      const auto& r = sel->matchExpressions[i];
      std::string values;
      for (const auto& v : r.values) values += fmt::format("{}\"{}\"", values.empty() ? "" : ", ", v);
      exprs += fmt::format("{}v1.LabelSelectorRequirement{{Key:\"{}\", Operator:\"{}\", Values:[]string{{{}}}}}",
                           i ? ", " : "", r.key, r.op, values);
    }
    exprs += "}";
  }
  return fmt::format("v1.LabelSelector{{MatchLabels:map[string]string{{{}}}, MatchExpressions:{}}}", labels, exprs);
}

// spec.selector is immutable in apps/v1.
void validate_selector_unchanged(const std::optional<LabelSelector>& old_sel, const std::optional<LabelSelector>& new_sel,
                                 DecodeContext& ctx) {
  if (encode_value(old_sel) != encode_value(new_sel))
    ctx.invalid("spec.selector", fmt::format("Invalid value: {}: field is immutable", go_selector(new_sel)));
}

template <class T>
void validate_selector_update(const Object& old_obj, const Object& next, DecodeContext& ctx) {
  validate_selector_unchanged(static_cast<const T&>(old_obj).spec.selector, static_cast<const T&>(next).spec.selector, ctx);
}

// Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy
// and minReadySeconds of a StatefulSet may change.
void validate_statefulset_update(const Object& old_obj, const Object& next, DecodeContext& ctx) {
  auto frozen = [](const StatefulSet& s) {
    StatefulSetSpec spec = s.spec;
    spec.replicas.reset();
    spec.template_ = {};
    spec.updateStrategy = {};
    spec.persistentVolumeClaimRetentionPolicy.reset();
    spec.minReadySeconds = 0;
    return encode_value(spec);
  };
  if (frozen(static_cast<const StatefulSet&>(old_obj)) != frozen(static_cast<const StatefulSet&>(next)))
    ctx.invalid("spec",
                "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
}

void default_template(PodTemplateSpec& t) {
  Pod scratch;
  scratch.spec = std::move(t.spec);
  Pod::kind_info().apply_defaults(scratch);
  t.spec = std::move(scratch.spec);
}

void validate_replicaset(const Object& o, DecodeContext& ctx) {
  const auto& r = static_cast<const ReplicaSet&>(o);
  validate_metadata(r.metadata, true, NameRule::Subdomain, ctx);
  validate_replicas(r.spec.replicas, ctx);
  validate_workload_selector(r.spec.selector, r.spec.template_.metadata.labels, "spec.selector", ctx);
  validate_template(r.spec.template_, ctx);
}

void default_replicaset(Object& o) {
  auto& r = static_cast<ReplicaSet&>(o);
  if (!r.spec.replicas) r.spec.replicas = 1;
  default_template(r.spec.template_);
}

void validate_deployment(const Object& o, DecodeContext& ctx) {
  const auto& d = static_cast<const Deployment&>(o);
  validate_metadata(d.metadata, true, NameRule::Subdomain, ctx);
  validate_replicas(d.spec.replicas, ctx);
  validate_workload_selector(d.spec.selector, d.spec.template_.metadata.labels, "spec.selector", ctx);
  validate_template(d.spec.template_, ctx);
  if (d.spec.strategy.type == "Recreate" && d.spec.strategy.rollingUpdate)
    ctx.invalid("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is 'Recreate'");
  if (const auto& ru = d.spec.strategy.rollingUpdate) {
    const auto surge = ru->maxSurge.value_or(IntOrString::of("25%")).scaled(100, true);
    const auto unavailable = ru->maxUnavailable.value_or(IntOrString::of("25%")).scaled(100, false);
    if (!surge) ctx.invalid("spec.strategy.rollingUpdate.maxSurge", "Invalid value: must be an integer or percentage (e.g '5%')");
    if (!unavailable)
      ctx.invalid("spec.strategy.rollingUpdate.maxUnavailable", "Invalid value: must be an integer or percentage (e.g '5%')");
    if (surge && unavailable && *surge == 0 && *unavailable == 0)
      ctx.invalid("spec.strategy.rollingUpdate.maxUnavailable",
                  "Invalid value: 0: may not be 0 when `maxSurge` is 0");
  }
}

void default_deployment(Object& o) {
  auto& d = static_cast<Deployment&>(o);
  if (!d.spec.replicas) d.spec.replicas = 1;
  if (d.spec.strategy.type.empty()) d.spec.strategy.type = "RollingUpdate";
  if (d.spec.strategy.type == "RollingUpdate") {
    auto& ru = d.spec.strategy.rollingUpdate;
    if (!ru) ru = RollingUpdateDeployment{};
    if (!ru->maxSurge) ru->maxSurge = IntOrString::of("25%");
    if (!ru->maxUnavailable) ru->maxUnavailable = IntOrString::of("25%");
  }
  if (!d.spec.revisionHistoryLimit) d.spec.revisionHistoryLimit = 10;
  if (!d.spec.progressDeadlineSeconds) d.spec.progressDeadlineSeconds = 600;
  default_template(d.spec.template_);
}

void validate_daemonset(const Object& o, DecodeContext& ctx) {
  const auto& d = static_cast<const DaemonSet&>(o);
  validate_metadata(d.metadata, true, NameRule::Subdomain, ctx);
  validate_workload_selector(d.spec.selector, d.spec.template_.metadata.labels, "spec.selector", ctx);
  validate_template(d.spec.template_, ctx);
}

void default_daemonset(Object& o) {
  auto& d = static_cast<DaemonSet&>(o);
  if (d.spec.updateStrategy.type.empty()) d.spec.updateStrategy.type = "RollingUpdate";
  if (d.spec.updateStrategy.type == "RollingUpdate") {
    auto& ru = d.spec.updateStrategy.rollingUpdate;
    if (!ru) ru = RollingUpdateDaemonSet{};
    if (!ru->maxUnavailable) ru->maxUnavailable = IntOrString::of(1);
    if (!ru->maxSurge) ru->maxSurge = IntOrString::of(0);
  }
  if (!d.spec.revisionHistoryLimit) d.spec.revisionHistoryLimit = 10;
  default_template(d.spec.template_);
}

void validate_statefulset(const Object& o, DecodeContext& ctx) {
  const auto& s = static_cast<const StatefulSet&>(o);
  validate_metadata(s.metadata, true, NameRule::Subdomain, ctx);
  validate_replicas(s.spec.replicas, ctx);
  validate_workload_selector(s.spec.selector, s.spec.template_.metadata.labels, "spec.selector", ctx);
  validate_template(s.spec.template_, ctx);
  for (std::size_t i = 0; i < s.spec.volumeClaimTemplates.size(); ++i) {
    const auto& t = s.spec.volumeClaimTemplates[i];
    const auto p = fmt::format("spec.volumeClaimTemplates[{}]", i);
    if (t.metadata.name.empty()) ctx.invalid(p + ".metadata.name", "Required value");
    validate_pvc_spec(t.spec, p + ".spec", ctx);
  }
}

void default_statefulset(Object& o) {
  auto& s = static_cast<StatefulSet&>(o);
  if (!s.spec.replicas) s.spec.replicas = 1;
  if (s.spec.podManagementPolicy.empty()) s.spec.podManagementPolicy = "OrderedReady";
  if (s.spec.updateStrategy.type.empty()) s.spec.updateStrategy.type = "RollingUpdate";
  if (s.spec.updateStrategy.type == "RollingUpdate" && !s.spec.updateStrategy.rollingUpdate)
    s.spec.updateStrategy.rollingUpdate = RollingUpdateStatefulSet{0, {}};
  if (!s.spec.revisionHistoryLimit) s.spec.revisionHistoryLimit = 10;
  if (!s.spec.persistentVolumeClaimRetentionPolicy)
    s.spec.persistentVolumeClaimRetentionPolicy = PVCRetentionPolicy{"Retain", "Retain"};
  for (auto& t : s.spec.volumeClaimTemplates)
    if (t.spec.volumeMode.empty()) t.spec.volumeMode = "Filesystem";
  default_template(s.spec.template_);
}

}  // namespace

const KindInfo& ReplicaSet::kind_info() {
  static const KindInfo info{"ReplicaSet", "apps/v1", "replicasets", {"rs"}, true, {}, &decode_kind<ReplicaSet>,
                             &validate_replicaset, &default_replicaset, true, &validate_selector_update<ReplicaSet>};
  return info;
}
const KindInfo& Deployment::kind_info() {
  static const KindInfo info{"Deployment", "apps/v1", "deployments", {"deploy"}, true, {}, &decode_kind<Deployment>,
                             &validate_deployment, &default_deployment, true, &validate_selector_update<Deployment>};
  return info;
}
const KindInfo& DaemonSet::kind_info() {
  static const KindInfo info{"DaemonSet", "apps/v1", "daemonsets", {"ds"}, true, {}, &decode_kind<DaemonSet>,
                             &validate_daemonset, &default_daemonset, true, &validate_selector_update<DaemonSet>};
  return info;
}
const KindInfo& StatefulSet::kind_info() {
  static const KindInfo info{"StatefulSet", "apps/v1", "statefulsets", {"sts"}, true, {}, &decode_kind<StatefulSet>,
                             &validate_statefulset, &default_statefulset, true, &validate_statefulset_update};
  return info;
}

}  // namespace kvsim::models
