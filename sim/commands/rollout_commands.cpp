#include "sim/commands/rollout_commands.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/duration.hpp"
#include "models/kubevirt.hpp"
#include "sim/commands/describe_writer.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/printers.hpp"
#include "sim/commands/server_error.hpp"
#include "sim/commands/target.hpp"
#include "sim/controllers/deployment/rollout_math.hpp"
#include "sim/controllers/deployment/template_hash.hpp"

namespace kvsim::sim::commands {
namespace {

namespace dep = controllers::deployment;
using models::Deployment;
using models::ReplicaSet;

std::string not_found(const models::KindInfo& kind, const std::string& name) {
  return fmt::format("Error from server (NotFound): {} \"{}\" not found", resource_name(kind), name);
}

// The pod template of a workload kind, or null for kinds without one.
models::PodTemplateSpec* template_of(models::Object& o) {
  if (o.kind == "Deployment") return &static_cast<Deployment&>(o).spec.template_;
  if (o.kind == "ReplicaSet") return &static_cast<ReplicaSet&>(o).spec.template_;
  if (o.kind == "DaemonSet") return &static_cast<models::DaemonSet&>(o).spec.template_;
  if (o.kind == "StatefulSet") return &static_cast<models::StatefulSet&>(o).spec.template_;
  return nullptr;
}

std::optional<std::int32_t>* replicas_field(models::Object& o) {
  if (o.kind == "Deployment") return &static_cast<Deployment&>(o).spec.replicas;
  if (o.kind == "ReplicaSet") return &static_cast<ReplicaSet&>(o).spec.replicas;
  if (o.kind == "StatefulSet") return &static_cast<models::StatefulSet&>(o).spec.replicas;
  // KubeVirt's VMIRS CRD has a scale subresource (.spec.replicas).
  if (o.kind == "VirtualMachineInstanceReplicaSet")
    return &static_cast<models::VirtualMachineInstanceReplicaSet&>(o).spec.replicas;
  return nullptr;
}

// A Deployment's ReplicaSets (controller ownerReference), oldest first.
std::vector<std::shared_ptr<const ReplicaSet>> replicasets_of(api::Store& store, const Deployment& d) {
  std::vector<std::shared_ptr<const ReplicaSet>> out;
  for (const auto& o : store.owned_by(d.metadata.uid)) {
    const auto* ref = o->metadata.controller_ref();
    if (o->kind == "ReplicaSet" && ref && ref->uid == d.metadata.uid)
      out.push_back(std::static_pointer_cast<const ReplicaSet>(o));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return dep::older(a.get(), b.get()); });
  return out;
}

// A mutable copy of the stored object for a user write (no optimistic concurrency).
template <class T>
std::shared_ptr<T> editable(const std::shared_ptr<const T>& current) {
  auto next = std::static_pointer_cast<T>(current->clone());
  next->metadata.resourceVersion.clear();
  return next;
}

Outcome rollout_status(cluster::Cluster& cluster, const Flags& f, const std::string& name);
Outcome rollout_history(cluster::Cluster& cluster, const Flags& f, const Deployment& d);
Outcome rollout_undo(cluster::Cluster& cluster, const Flags& f, const Deployment& d);

}  // namespace

RolloutState deployment_rollout_state(const models::Deployment& d) {
  const auto& st = d.status;
  const auto& name = d.metadata.name;
  if (d.metadata.generation > st.observedGeneration) return {"Waiting for deployment spec update to be observed...\n"};
  if (const auto* c = models::find_condition(st.conditions, "Progressing"); c && c->reason == "ProgressDeadlineExceeded")
    return {fmt::format("error: deployment \"{}\" exceeded its progress deadline", name), false, true};
  const auto want = dep::replicas_of(d);
  if (st.updatedReplicas < want)
    return {fmt::format("Waiting for deployment \"{}\" rollout to finish: {} out of {} new replicas have been updated...\n",
                        name, st.updatedReplicas, want)};
  if (st.replicas > st.updatedReplicas)
    return {fmt::format("Waiting for deployment \"{}\" rollout to finish: {} old replicas are pending termination...\n",
                        name, st.replicas - st.updatedReplicas)};
  if (st.availableReplicas < st.updatedReplicas)
    return {fmt::format("Waiting for deployment \"{}\" rollout to finish: {} of {} updated replicas are available...\n",
                        name, st.availableReplicas, st.updatedReplicas)};
  return {fmt::format("deployment \"{}\" successfully rolled out\n", name), true};
}

Outcome scale_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const Target target = parse_target(f.positional, "scale");
  if (!target.error.empty()) return {{}, target.error};
  if (target.names.empty()) return {{}, "error: resource(s) were provided, but no name was specified"};
  std::string err;
  const auto replicas = f.integer("replicas", err);
  if (!err.empty()) return {{}, "error: " + err};
  if (!replicas) return {{}, "error: required flag(s) \"replicas\" not set"};
  if (*replicas < 0)
    return {{}, "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"};
  const auto& kind = *target.kind;
  auto& store = cluster.store();
  std::string text;
  for (const auto& name : target.names) {
    auto current = store.get(kind, f.ns, name);
    if (!current) return {text, not_found(kind, name)};
    auto next = current->clone();
    auto* field = replicas_field(*next);
    // Kinds without a scale subresource: the API server has no such resource.
    if (!field) return {text, "Error from server (NotFound): the server could not find the requested resource"};
    const auto before = field->value_or(1);
    *field = static_cast<std::int32_t>(*replicas);
    next->metadata.resourceVersion.clear();
    if (before != *replicas) {
      auto r = store.update(next,
                            api::Cause{"user", fmt::format("replicas {} -> {}", before, *replicas),
                                       fmt::format("scale {}/{} --replicas={}", kind.plural, name, *replicas)},
                            true);
      if (!r.ok()) return {text, server_error(r)};
    }
    text += fmt::format("{}/{} scaled\n", kind_resource_name(kind), name);
  }
  return {text, {}};
}

Outcome set_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "image")
    return {{}, args.empty() ? "error: usage: set image TYPE/NAME CONTAINER=IMAGE ..."
                             : fmt::format("error: \"set {}\" is not modelled yet (set image is)", args[0])};
  Flags f = parse_flags({args.begin() + 1, args.end()});
  if (!f.error.empty()) return {{}, "error: " + f.error};
  std::vector<std::string> resources;
  std::vector<std::pair<std::string, std::string>> images;  // container ("*" for all), image
  for (const auto& p : f.positional) {
    const auto eq = p.find('=');
    if (eq == std::string::npos) resources.push_back(p);
    else images.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  if (images.empty()) return {{}, "error: at least one image update is required"};
  const Target target = parse_target(resources, "set image");
  if (!target.error.empty()) return {{}, target.error};
  if (target.names.empty()) return {{}, "error: resource(s) were provided, but no name was specified"};
  const auto& kind = *target.kind;
  auto& store = cluster.store();
  std::string text, errors;
  for (const auto& name : target.names) {
    auto current = store.get(kind, f.ns, name);
    if (!current) return {text, not_found(kind, name)};
    auto next = current->clone();
    auto* tmpl = template_of(*next);
    if (!tmpl) return {text, fmt::format("error: {}/{} has no pod template to set an image in",
                                         kind_resource_name(kind), name)};
    std::string changes;
    for (const auto& [container, image] : images) {
      bool found = false;
      for (auto* list : {&tmpl->spec.initContainers, &tmpl->spec.containers})
        for (auto& c : *list)
          if (container == "*" || c.name == container) {
            found = true;
            if (c.image != image) changes += fmt::format("{}{}: {} -> {}", changes.empty() ? "" : ", ", c.name, c.image, image);
            c.image = image;
          }
      if (!found) errors += fmt::format("{}error: unable to find container named \"{}\"", errors.empty() ? "" : "\n", container);
    }
    // kubectl sends no patch when nothing changes, and prints nothing for it.
    if (changes.empty()) continue;
    next->metadata.resourceVersion.clear();
    auto r = store.update(next, api::Cause{"user", "image " + changes, "set image " + std::string(kind.plural) + "/" + name},
                          true);
    if (!r.ok()) return {text, server_error(r)};
    text += fmt::format("{}/{} image updated\n", kind_resource_name(kind), name);
  }
  return {text, errors};
}

Outcome rollout_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  // `--watch=false` (or -w=false) turns rollout status into a single look; the
  // shared flag parser treats --watch as a switch, so read it here first.
  std::vector<std::string> rest;
  bool watch = true;
  for (const auto& a : args) {
    if (a == "--watch=false" || a == "-w=false") watch = false;
    else if (a == "-w" || a == "--watch=true") watch = true;
    else rest.push_back(a);
  }
  Flags f = parse_flags(rest);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  static const char* kUsage = "error: usage: rollout status|history|undo|pause|resume|restart deployment/NAME";
  if (f.positional.empty()) return {{}, kUsage};
  const std::string sub = f.positional[0];
  const Target target = parse_target({f.positional.begin() + 1, f.positional.end()}, ("rollout " + sub).c_str());
  if (!target.error.empty()) return {{}, target.error};
  if (target.names.empty()) return {{}, "error: resource(s) were provided, but no name was specified"};
  if (target.kind->kind != "Deployment")
    return {{}, fmt::format("error: rollout {} is modelled for deployments only (not {})", sub, target.kind->plural)};
  const auto& name = target.names.front();
  auto& store = cluster.store();
  auto d = store.get<Deployment>(f.ns, name);
  if (!d) return {{}, not_found(*target.kind, name)};
  const std::string ref = "deployment.apps/" + name;
  if (sub == "status") {
    if (!watch) {
      const auto state = deployment_rollout_state(*d);
      return state.failed ? Outcome{{}, state.line} : Outcome{state.line, {}};
    }
    return rollout_status(cluster, f, name);
  }
  if (sub == "history") return rollout_history(cluster, f, *d);
  if (sub == "undo") return rollout_undo(cluster, f, *d);
  const bool paused = d->spec.paused.value_or(false);
  auto next = editable(d);
  std::string done, change;
  if (sub == "pause" || sub == "resume") {
    const bool pause = sub == "pause";
    if (pause == paused)
      return {{}, fmt::format("error: deployments.apps \"{}\" is {}", name, pause ? "already paused" : "not paused")};
    next->spec.paused = pause;
    done = pause ? "paused" : "resumed";
    change = pause ? "paused" : "resumed";
  } else if (sub == "restart") {
    if (paused)
      return {{}, fmt::format("error: deployments.apps \"{}\" can't restart paused deployment (run rollout resume first)",
                              name)};
    next->spec.template_.metadata.annotations["kubectl.kubernetes.io/restartedAt"] =
        models::to_rfc3339(models::Timestamp{cluster.now()});
    done = "restarted";
    change = "template annotation kubectl.kubernetes.io/restartedAt";
  } else {
    return {{}, kUsage};
  }
  auto r = store.update(next, api::Cause{"user", change, "rollout " + sub + " " + ref}, true);
  if (!r.ok()) return {{}, server_error(r)};
  return {fmt::format("{} {}\n", ref, done), {}};
}

namespace {

// Sim time moves while this waits, in steps of the watch latency; every status
// line the Deployment goes through is printed once, in order, as kubectl's watch
// prints them. Never hangs: --timeout, else progressDeadlineSeconds + 60 s.
Outcome rollout_status(cluster::Cluster& cluster, const Flags& f, const std::string& name) {
  auto& store = cluster.store();
  double limit = 0;
  if (auto t = f.value("timeout"); t && *t != "0" && *t != "0s") {
    auto d = models::parse_duration(*t);
    if (!d) return {{}, fmt::format("error: invalid argument \"{}\" for \"--timeout\" flag", *t)};
    limit = *d;
  } else {
    auto d = store.get<Deployment>(f.ns, name);
    limit = d->spec.progressDeadlineSeconds.value_or(600) + 60.0;
  }
  std::string text, last;
  RolloutState state;
  bool gone = false;
  auto observe = [&](const Deployment& d) {
    state = deployment_rollout_state(d);
    if (!state.failed && state.line != last) text += state.line;
    last = state.line;
  };
  observe(*store.get<Deployment>(f.ns, name));
  const int id = store.add_change_listener([&](const api::WatchEvent& e) {
    if (e.object->kind != "Deployment" || e.object->metadata.namespace_ != f.ns || e.object->metadata.name != name)
      return;
    if (e.type == api::EventType::Deleted) gone = true;
    else if (!state.done && !state.failed) observe(static_cast<const Deployment&>(*e.object));
  });
  const double start = cluster.now();
  const double step = std::max(cluster.profile().watch_latency, 0.01);
  while (!state.done && !state.failed && !gone && cluster.now() < start + limit)
    cluster.run_until(std::min(cluster.now() + step, start + limit));
  store.remove_change_listener(id);
  if (gone) return {text, fmt::format("error: deployments.apps \"{}\" not found", name)};
  if (state.failed) return {text, state.line};
  if (!state.done) return {text, "error: timed out waiting for the condition"};
  return {text, {}};
}

Outcome rollout_history(cluster::Cluster& cluster, const Flags& f, const Deployment& d) {
  std::string err;
  const auto revision = f.integer("revision", err);
  if (!err.empty()) return {{}, "error: " + err};
  std::map<std::int64_t, models::PodTemplateSpec> history;
  for (const auto& rs : replicasets_of(cluster.store(), d)) {
    const auto v = dep::revision_of(*rs);
    if (!v) continue;
    auto t = rs->spec.template_;
    if (auto it = rs->metadata.annotations.find(dep::kChangeCauseAnnotation); it != rs->metadata.annotations.end())
      t.metadata.annotations[dep::kChangeCauseAnnotation] = it->second;
    history[*v] = std::move(t);
  }
  const std::string ref = "deployment.apps/" + d.metadata.name;
  if (revision && *revision > 0) {
    auto it = history.find(*revision);
    if (it == history.end()) return {{}, "error: unable to find the specified revision"};
    describing::Out o;
    describing::describe_pod_template(o, it->second);
    return {fmt::format("{} with revision #{}\n{}\n", ref, *revision, o.str()), {}};
  }
  if (history.empty()) return {ref + "\nNo rollout history found.\n", {}};
  std::vector<std::vector<std::string>> rows = {{"REVISION", "CHANGE-CAUSE"}};
  for (const auto& [v, t] : history) {
    auto it = t.metadata.annotations.find(dep::kChangeCauseAnnotation);
    rows.push_back({std::to_string(v), it == t.metadata.annotations.end() || it->second.empty() ? "<none>" : it->second});
  }
  return {ref + "\n" + tabwrite(rows, 0, 2) + "\n", {}};
}

Outcome rollout_undo(cluster::Cluster& cluster, const Flags& f, const Deployment& d) {
  std::string err;
  const auto to_revision = f.integer("to-revision", err).value_or(0);
  if (!err.empty()) return {{}, "error: " + err};
  if (to_revision < 0) return {{}, fmt::format("error: unable to find specified revision {} in history", to_revision)};
  auto& store = cluster.store();
  // kubectl's deploymentRevision: the asked revision, or the second newest.
  std::shared_ptr<const ReplicaSet> target, latest;
  std::int64_t latest_rev = -1, previous_rev = -1;
  for (const auto& rs : replicasets_of(store, d)) {
    const auto v = dep::revision_of(*rs);
    if (!v) continue;
    if (to_revision == 0) {
      if (latest_rev < *v) {
        previous_rev = latest_rev;
        target = latest;
        latest_rev = *v;
        latest = rs;
      } else if (previous_rev < *v) {
        previous_rev = *v;
        target = rs;
      }
    } else if (*v == to_revision) {
      target = rs;
      break;
    }
  }
  const auto& name = d.metadata.name;
  if (!target) {
    if (to_revision > 0) return {{}, fmt::format("error: unable to find specified revision {} in history", to_revision)};
    return {{}, fmt::format("error: no rollout history found for deployment \"{}\"", name)};
  }
  if (d.spec.paused.value_or(false))
    return {{}, fmt::format("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
                            "resume deployment/{}' and try again",
                            name)};
  const std::string ref = "deployment.apps/" + name;
  if (dep::equal_ignore_hash(target->spec.template_, d.spec.template_))
    return {fmt::format("{} skipped rollback (current template already matches revision {})\n", ref, to_revision), {}};
  auto next = std::static_pointer_cast<Deployment>(d.clone());
  next->metadata.resourceVersion.clear();
  next->spec.template_ = target->spec.template_;
  next->spec.template_.metadata.labels.erase(dep::kPodTemplateHashLabel);
  // The Deployment keeps its own bookkeeping annotations and takes the rest from the ReplicaSet.
  std::map<std::string, std::string> annotations;
  for (const char* k : {models::kLastAppliedAnnotation, dep::kRevisionAnnotation, dep::kRevisionHistoryAnnotation,
                        dep::kDesiredReplicasAnnotation, dep::kMaxReplicasAnnotation, "deprecated.deployment.rollback.to"})
    if (auto it = d.metadata.annotations.find(k); it != d.metadata.annotations.end()) annotations[k] = it->second;
  for (const auto& [k, v] : target->metadata.annotations)
    if (k != models::kLastAppliedAnnotation && k != dep::kRevisionAnnotation && k != dep::kRevisionHistoryAnnotation &&
        k != dep::kDesiredReplicasAnnotation && k != dep::kMaxReplicasAnnotation && k != "deprecated.deployment.rollback.to")
      annotations[k] = v;
  next->metadata.annotations = annotations;
  auto r = store.update(next,
                        api::Cause{"user", fmt::format("template of revision {}", dep::revision_of(*target).value_or(0)),
                                   "rollout undo " + ref},
                        true);
  if (!r.ok()) return {{}, server_error(r)};
  return {ref + " rolled back\n", {}};
}

}  // namespace
}  // namespace kvsim::sim::commands
