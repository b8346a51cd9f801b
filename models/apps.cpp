#include "models/apps.hpp"

#include <fmt/format.h>

#include "models/codec/encoder.hpp"
#include "models/codec/schema.hpp"
#include "models/pod_admission.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

void validate_replicas(const std::optional<std::int32_t>& replicas, DecodeContext& ctx) {
  if (replicas && *replicas < 0)
    ctx.invalid("spec.replicas", fmt::format("Invalid value: {}: must be greater than or equal to 0", *replicas));
}

// apivalidation.ValidateNonnegativeField: numbers print unquoted.
void validate_nonnegative(std::int64_t v, const char* path, DecodeContext& ctx) {
  if (v < 0) ctx.invalid(path, fmt::format("Invalid value: {}: must be greater than or equal to 0", v));
}

// maxSurge / maxUnavailable: a non-negative integer or a percentage (ValidatePositiveIntOrPercent).
std::optional<std::int64_t> validate_int_or_percent(const std::optional<IntOrString>& v, const std::string& path,
                                                     DecodeContext& ctx) {
  if (!v) return std::nullopt;
  const auto pct = v->scaled(100, false);
  if (v->is_string && !pct) {
    ctx.invalid(path, fmt::format("Invalid value: \"{}\": must be an integer or percentage (e.g '5%')", v->str_value));
  } else if (!v->is_string) {
    validate_nonnegative(v->int_value, path.c_str(), ctx);
  }
  return v->is_string ? pct : std::optional<std::int64_t>(v->int_value);
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

// Only replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
// persistentVolumeClaimRetentionPolicy and minReadySeconds of a StatefulSet may change.
void validate_statefulset_update(const Object& old_obj, const Object& next, DecodeContext& ctx) {
  auto frozen = [](const StatefulSet& s) {
    StatefulSetSpec spec = s.spec;
    spec.replicas.reset();
    spec.template_ = {};
    spec.updateStrategy = {};
    spec.revisionHistoryLimit.reset();
    spec.persistentVolumeClaimRetentionPolicy.reset();
    spec.minReadySeconds = 0;
    return encode_value(spec);
  };
  if (frozen(static_cast<const StatefulSet&>(old_obj)) != frozen(static_cast<const StatefulSet&>(next)))
    ctx.invalid("spec",
                "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
                "are forbidden");
}

// A template gets the pod spec defaults, not the pod admission plugins
// (DefaultTolerationSeconds): DaemonSet pods keep their own tolerations.
void default_template(PodTemplateSpec& t) { default_pod_spec(t.spec); }

void validate_replicaset(const Object& o, DecodeContext& ctx) {
  const auto& r = static_cast<const ReplicaSet&>(o);
  validate_metadata(r.metadata, true, NameRule::Subdomain, ctx);
  validate_replicas(r.spec.replicas, ctx);
  validate_workload_selector(r.spec.selector, r.spec.template_.metadata.labels, "spec.selector", ctx);
  validate_template(r.spec.template_, ctx);
  validate_nonnegative(r.spec.minReadySeconds, "spec.minReadySeconds", ctx);
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
    const auto unavailable = validate_int_or_percent(ru->maxUnavailable.value_or(IntOrString::of("25%")),
                                                     "spec.strategy.rollingUpdate.maxUnavailable", ctx);
    const auto surge =
        validate_int_or_percent(ru->maxSurge.value_or(IntOrString::of("25%")), "spec.strategy.rollingUpdate.maxSurge", ctx);
    if (surge && unavailable && *surge == 0 && *unavailable == 0)
      ctx.invalid("spec.strategy.rollingUpdate.maxUnavailable",
                  "Invalid value: 0: may not be 0 when `maxSurge` is 0");
    if (ru->maxUnavailable && ru->maxUnavailable->is_string && unavailable && *unavailable > 100)
      ctx.invalid("spec.strategy.rollingUpdate.maxUnavailable",
                  fmt::format("Invalid value: \"{}\": must not be greater than 100%", ru->maxUnavailable->str_value));
  }
  validate_nonnegative(d.spec.minReadySeconds, "spec.minReadySeconds", ctx);
  if (d.spec.revisionHistoryLimit) validate_nonnegative(*d.spec.revisionHistoryLimit, "spec.revisionHistoryLimit", ctx);
  if (const auto& pds = d.spec.progressDeadlineSeconds) {
    validate_nonnegative(*pds, "spec.progressDeadlineSeconds", ctx);
    if (*pds <= d.spec.minReadySeconds)
      ctx.invalid("spec.progressDeadlineSeconds",
                  fmt::format("Invalid value: {}: must be greater than minReadySeconds", *pds));
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
  static const KindInfo info = with_schema<ReplicaSet>(
      {"ReplicaSet", "apps/v1", "replicasets", {"rs"}, true, {}, &decode_kind<ReplicaSet>, &validate_replicaset,
       &default_replicaset, true, &validate_selector_update<ReplicaSet>});
  return info;
}
const KindInfo& Deployment::kind_info() {
  static const KindInfo info = with_schema<Deployment>(
      {"Deployment", "apps/v1", "deployments", {"deploy"}, true, {}, &decode_kind<Deployment>, &validate_deployment,
       &default_deployment, true, &validate_selector_update<Deployment>});
  return info;
}
const KindInfo& DaemonSet::kind_info() {
  static const KindInfo info = with_schema<DaemonSet>(
      {"DaemonSet", "apps/v1", "daemonsets", {"ds"}, true, {}, &decode_kind<DaemonSet>, &validate_daemonset,
       &default_daemonset, true, &validate_selector_update<DaemonSet>});
  return info;
}
const KindInfo& StatefulSet::kind_info() {
  static const KindInfo info = with_schema<StatefulSet>(
      {"StatefulSet", "apps/v1", "statefulsets", {"sts"}, true, {}, &decode_kind<StatefulSet>, &validate_statefulset,
       &default_statefulset, true, &validate_statefulset_update});
  return info;
}

}  // namespace kvsim::models
