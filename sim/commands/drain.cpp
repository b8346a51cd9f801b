// kubectl drain (k8s.io/kubectl/pkg/drain): cordon, pick the pods to move
// (DaemonSet pods stay, mirror pods are skipped, bare pods and emptyDir data
// need --force / --delete-emptydir-data), evict each through the eviction
// subresource (a 429 from a PodDisruptionBudget is retried every 5 s), and
// wait for each to be gone. kubectl does this with one goroutine per pod;
// here one loop steps the simulation to the next thing any pod waits for, so
// the command returns at the sim time kubectl would, or at its --timeout.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

#include "models/apps.hpp"
#include "models/duration.hpp"
#include "sim/api/eviction.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/node_commands.hpp"
#include "sim/commands/printers.hpp"

namespace kvsim::sim::commands {
namespace {

using models::Pod;

// The filters' verdicts (pkg/drain/filters.go).
enum class Verdict { Okay, Skip, Warning, Error };
struct PodVerdict {
  bool remove = true;
  Verdict verdict = Verdict::Okay;
  std::string message;
};

constexpr const char* kDaemonSetFatal = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
constexpr const char* kDaemonSetWarning = "ignoring DaemonSet-managed Pods";
constexpr const char* kLocalStorageFatal = "Pods with local storage (use --delete-emptydir-data to override)";
constexpr const char* kLocalStorageWarning = "deleting Pods with local storage";
// kubectl 1.2x words this one with "cannot delete" twice, as printed here.
constexpr const char* kUnmanagedFatal = "cannot delete Pods that declare no controller (use --force to override)";
constexpr const char* kUnmanagedWarning = "deleting Pods that declare no controller";

struct Options {
  bool ignore_daemonsets = false;
  bool delete_emptydir_data = false;
  bool force = false;
  std::optional<std::int64_t> grace_seconds;  // unset: each pod's own
  double timeout = 0;                         // 0: none (kvsim caps it)
  double skip_wait_for_delete = 0;            // --skip-wait-for-delete-timeout
};

bool finished(const Pod& p) { return p.status.phase == "Succeeded" || p.status.phase == "Failed"; }

bool skip_deleted(const Pod& p, const Options& o, double now) {
  return o.skip_wait_for_delete > 0 && p.metadata.deletionTimestamp &&
         now - p.metadata.deletionTimestamp->seconds > o.skip_wait_for_delete;
}

PodVerdict filter(const api::Store& store, const Pod& pod, const Options& o, double now) {
  if (skip_deleted(pod, o, now)) return {false, Verdict::Skip, {}};
  const auto* ref = pod.metadata.controller_ref();
  if (ref && ref->kind == "DaemonSet" && !finished(pod)) {
    if (!store.get<models::DaemonSet>(pod.metadata.namespace_, ref->name)) {
      const auto missing = fmt::format("daemonsets.apps \"{}\" not found", ref->name);
      if (!o.force) return {false, Verdict::Error, missing};
      // An orphan of a deleted DaemonSet goes with --force.
    } else {
      if (!o.ignore_daemonsets) return {false, Verdict::Error, kDaemonSetFatal};
      return {false, Verdict::Warning, kDaemonSetWarning};
    }
  }
  if (pod.metadata.annotations.contains("kubernetes.io/config.mirror")) return {false, Verdict::Skip, {}};
  PodVerdict v;
  const bool local_storage =
      std::any_of(pod.spec.volumes.begin(), pod.spec.volumes.end(), [](const auto& vol) { return !vol.emptyDir.is_null(); });
  if (local_storage && !finished(pod)) {
    if (!o.delete_emptydir_data) return {false, Verdict::Error, kLocalStorageFatal};
    v = {true, Verdict::Warning, kLocalStorageWarning};
  }
  if (!finished(pod) && !ref) {
    if (!o.force) return {false, Verdict::Error, kUnmanagedFatal};
    v = {true, Verdict::Warning, kUnmanagedWarning};
  }
  return v;
}

struct Selection {
  std::vector<std::shared_ptr<const Pod>> pods;  // to evict, in list order
  std::vector<std::string> errors;               // "cannot delete ...: ns/a, ns/b"
  std::string warnings;                          // "ignoring DaemonSet-managed Pods: ns/a"
};

// GetPodsForDeletion: messages grouped with their pods (sorted by message:
// kubectl's order comes from a Go map, so it is not stable there).
Selection select_pods(const api::Store& store, const std::string& node, const Options& o, double now) {
  Selection s;
  std::map<std::string, std::vector<std::string>> errors, warnings;
  for (const auto& obj : store.on_node(Pod::kind_info(), node)) {
    auto pod = std::static_pointer_cast<const Pod>(obj);
    const auto v = filter(store, *pod, o, now);
    const auto ref = pod->metadata.namespace_ + "/" + pod->metadata.name;
    if (v.verdict == Verdict::Error) errors[v.message].push_back(ref);
    if (v.verdict == Verdict::Warning) warnings[v.message].push_back(ref);
    if (v.remove) s.pods.push_back(pod);
  }
  for (const auto& [msg, pods] : errors) {
    // The unmanaged message carries its own "cannot delete" (kubectl prefixes another).
    s.errors.push_back(fmt::format("cannot delete {}: {}", msg, join(pods, ", ")));
  }
  for (const auto& [msg, pods] : warnings)
    s.warnings += fmt::format("{}{}: {}", s.warnings.empty() ? "" : "; ", msg, join(pods, ", "));
  return s;
}

std::string aggregate(const std::vector<std::string>& errors) {
  if (errors.size() == 1) return errors.front();
  return "[" + join(errors, ", ") + "]";
}

// One pod's eviction, as kubectl's goroutine for it goes.
struct Eviction {
  std::shared_ptr<const Pod> pod;
  enum Stage { Evicting, Waiting, Done } stage = Evicting;
  double next = 0;  // sim time of its next attempt or poll
  std::string error;
};

}  // namespace

Outcome drain_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: USAGE: drain NODE [flags]"};
  const auto name = f.positional[0];
  Options o;
  o.ignore_daemonsets = f.has("ignore-daemonsets");
  o.delete_emptydir_data = f.has("delete-emptydir-data");
  o.force = f.has("force");
  std::string flag_error;
  if (auto grace = f.integer("grace-period", flag_error); grace && *grace >= 0) o.grace_seconds = *grace;
  if (auto skip = f.integer("skip-wait-for-delete-timeout", flag_error)) o.skip_wait_for_delete = static_cast<double>(*skip);
  if (!flag_error.empty()) return {{}, "error: " + flag_error};
  if (auto t = f.value("timeout")) {
    auto d = models::parse_duration(*t);
    if (!d) return {{}, fmt::format("error: invalid argument \"{}\" for \"--timeout\" flag: time: invalid duration \"{}\"", *t, *t)};
    o.timeout = *d;
  }

  auto& store = cluster.store();
  if (!store.get(models::Node::kind_info(), "", name))
    return {{}, fmt::format("Error from server (NotFound): nodes \"{}\" not found", name)};
  std::string out = set_unschedulable(cluster, name, true) + "\n";

  auto fail = [&](const std::string& agg) {
    out += fmt::format("error: unable to drain node \"{}\" due to error: {}, continuing command...\n", name, agg);
    out += fmt::format("There are pending nodes to be drained:\n {}\n", name);
    return Outcome{out, agg};
  };

  const auto selection = select_pods(store, name, o, cluster.now());
  if (!selection.errors.empty()) return fail(aggregate(selection.errors));
  if (!selection.warnings.empty()) out += "Warning: " + selection.warnings + "\n";

  // Evict and wait, stepping the simulation between what kubectl would do.
  const auto& profile = cluster.profile();
  const double start = cluster.now();
  const bool capped = o.timeout <= 0;
  const double timeout = capped ? profile.drain_max_wait : o.timeout;
  const double deadline = start + timeout;
  const auto timeout_text = models::go_duration_string(timeout) + (capped ? " (kvsim's limit for a drain without --timeout)" : "");
  api::DeleteOptions delete_options;
  delete_options.grace_seconds = o.grace_seconds;
  const api::Cause cause{"user", "", "evicted by drain " + name};

  std::vector<Eviction> evictions;
  for (const auto& pod : selection.pods) evictions.push_back({pod, Eviction::Evicting, start, {}});
  constexpr double kEps = 1e-9;
  while (true) {
    const double now = cluster.now();
    for (auto& e : evictions) {
      const auto& pod = *e.pod;
      const auto& ns = pod.metadata.namespace_;
      const auto& pod_name = pod.metadata.name;
      if (e.stage == Eviction::Evicting && e.next <= now + kEps) {
        out += fmt::format("evicting pod {}/{}\n", ns, pod_name);
        if (now >= deadline - kEps) {
          e.error = fmt::format("error when evicting pods/\"{}\" -n \"{}\": global timeout reached: {}", pod_name, ns,
                                timeout_text);
          e.stage = Eviction::Done;
          continue;
        }
        const auto r = api::evict_pod(store, ns, pod_name, delete_options, cause, cluster.eviction_webhooks());
        if (r.code == 201) {
          e.stage = Eviction::Waiting;
          e.next = now;  // waitForDelete polls at once, then every second
        } else if (r.code == 404) {
          e.stage = Eviction::Done;
        } else if (r.code == 429) {
          out += fmt::format("error when evicting pods/\"{}\" -n \"{}\" (will retry after {}): {}\n", pod_name, ns,
                             models::go_duration_string(profile.drain_eviction_retry), r.message);
          e.next = now + profile.drain_eviction_retry;
        } else {
          e.error = fmt::format("error when evicting pods/\"{}\" -n \"{}\": {}", pod_name, ns, r.message);
          e.stage = Eviction::Done;
        }
      }
      if (e.stage == Eviction::Waiting && e.next <= now + kEps) {
        auto current = store.get<Pod>(ns, pod_name);
        if (!current || current->metadata.uid != pod.metadata.uid) {
          out += fmt::format("pod/{} evicted\n", pod_name);
          e.stage = Eviction::Done;
        } else if (skip_deleted(*current, o, now)) {
          out += fmt::format("pod \"{}\" has DeletionTimestamp older than {} seconds, skipping\n", pod_name,
                             static_cast<long long>(o.skip_wait_for_delete));
          e.stage = Eviction::Done;
        } else if (now >= deadline - kEps) {
          e.error = fmt::format("error when waiting for pod \"{}\" in namespace \"{}\" to terminate: context deadline exceeded",
                                pod_name, ns);
          e.stage = Eviction::Done;
        } else {
          e.next = std::min(now + profile.drain_poll_interval, deadline);
        }
      }
    }
    double next = std::numeric_limits<double>::infinity();
    for (const auto& e : evictions)
      if (e.stage != Eviction::Done) next = std::min(next, e.next);
    if (next == std::numeric_limits<double>::infinity()) break;
    cluster.run_until(next);
  }

  std::vector<std::string> errors;
  for (const auto& e : evictions)
    if (!e.error.empty()) errors.push_back(e.error);
  if (errors.empty()) {
    out += fmt::format("node/{} drained\n", name);
    return {out, {}};
  }
  const auto agg = aggregate(errors);
  const auto pending = select_pods(store, name, o, cluster.now());
  if (!pending.pods.empty()) {
    out += fmt::format("There are pending pods in node \"{}\" when an error occurred: {}\n", name, agg);
    for (const auto& pod : pending.pods) out += "pod/" + pod->metadata.name + "\n";
  }
  return fail(agg);
}

}  // namespace kvsim::sim::commands
