#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"
#include "models/duration.hpp"
#include "models/manifest.hpp"
#include "sim/scenario/generate.hpp"
#include "sim/scenario/count_tracker.hpp"
#include "sim/scenario/store_objects.hpp"
#include "models/registry.hpp"
#include "sim/commands/executor.hpp"
#include "sim/kubevirt/kubevirt_config.hpp"
#include "sim/build_paths.hpp"

namespace kvsim::sim::scenario {
namespace {

struct Reader {
  models::DecodeContext& ctx;

  double duration(const YAML::Node& n, const std::string& path) { return read_duration(n, path, ctx); }
  void unknown_keys(const YAML::Node& n, const std::string& path, std::initializer_list<std::string_view> known) {
    refuse_unknown_keys(n, path, known, ctx);
  }
};

engine::NodeSpec read_node(const YAML::Node& n, const std::string& path, Reader& r) {
  engine::NodeSpec spec;
  r.unknown_keys(n, path,
                 {"name", "count", "role", "cpu", "memory", "maxPods", "architecture", "labels", "taints", "hypervisor"});
  if (!n.IsMap()) return spec;  // unknown_keys said so
  if (n["name"]) models::decode_value(n["name"], path + ".name", r.ctx, spec.name);
  else r.ctx.fail(models::location_of(n), path + ".name", "Required value: the node's name");
  if (n["role"]) {
    models::decode_value(n["role"], path + ".role", r.ctx, spec.role);
    if (spec.role != "control-plane" && spec.role != "worker")
      r.ctx.fail(models::location_of(n["role"]), path + ".role",
                 fmt::format("Unsupported value: \"{}\": supported values: control-plane, worker", spec.role));
  }
  if (n["cpu"]) models::decode_value(n["cpu"], path + ".cpu", r.ctx, spec.cpu);
  if (n["memory"]) models::decode_value(n["memory"], path + ".memory", r.ctx, spec.memory);
  if (n["hypervisor"]) {
    models::decode_value(n["hypervisor"], path + ".hypervisor", r.ctx, spec.hypervisor);
    if (spec.hypervisor != "sim" && spec.hypervisor.find(':') == std::string::npos)
      r.ctx.fail(models::location_of(n["hypervisor"]), path + ".hypervisor",
                 fmt::format("Invalid value: \"{}\": expected sim or a libvirt URI (test:///default, qemu:///system, "
                             "qemu+ssh://user@host/system)",
                             spec.hypervisor));
  }
  if (n["maxPods"]) models::decode_value(n["maxPods"], path + ".maxPods", r.ctx, spec.max_pods);
  if (n["architecture"]) {
    models::decode_value(n["architecture"], path + ".architecture", r.ctx, spec.architecture);
    if (!kubevirt::is_architecture(spec.architecture))
      r.ctx.fail(models::location_of(n["architecture"]), path + ".architecture",
                 fmt::format("Unsupported value: \"{}\": supported values: {}", spec.architecture,
                             kubevirt::kArchitectures));
  }
  if (n["labels"]) models::decode_value(n["labels"], path + ".labels", r.ctx, spec.labels);
  if (n["taints"]) models::decode_value(n["taints"], path + ".taints", r.ctx, spec.taints);
  if (spec.role == "control-plane" && !n["taints"])
    spec.taints.push_back(models::Taint{"node-role.kubernetes.io/master", "", "NoSchedule", std::nullopt});
  return spec;
}

// A node entry, or with `count: N` that many alike, named by the pattern in `name` ("{i}" is
// the index from 0, zero-padded as generated objects are): a 10,000-node platform is one entry.
void read_nodes(const YAML::Node& n, const std::string& path, Reader& r, std::vector<engine::NodeSpec>& out) {
  const auto spec = read_node(n, path, r);
  if (!n.IsMap() || !n["count"]) {
    out.push_back(spec);
    return;
  }
  std::int64_t count = 0;
  models::decode_value(n["count"], path + ".count", r.ctx, count);
  if (count < 1 || count > kMaxGeneratedNodes) {
    r.ctx.fail(models::location_of(n["count"]), path + ".count",
               fmt::format("Invalid value: {}: must be between 1 and {}", count, kMaxGeneratedNodes));
    return;
  }
  if (count > 1 && spec.name.find("{i}") == std::string::npos) {
    r.ctx.fail(models::location_of(n["name"] ? n["name"] : n), path + ".name",
               fmt::format("Invalid value: \"{}\": with count, the name needs \"{{i}}\" (e.g. worker-{{i}})", spec.name));
    return;
  }
  for (std::int64_t i = 0; i < count; ++i) {
    out.push_back(spec);
    out.back().name = with_index(spec.name, static_cast<std::size_t>(i), static_cast<std::size_t>(count));
  }
}

// The scenario's `kubevirt:` block: the KubeVirt CR's configuration that matters here.
void read_kubevirt(const YAML::Node& n, kubevirt::KubeVirtConfig& config, Reader& r) {
  r.unknown_keys(n, "kubevirt", {"featureGates", "defaultArchitecture"});
  if (!n.IsMap()) return;
  if (n["featureGates"]) {
    std::vector<std::string> gates;
    models::decode_value(n["featureGates"], "kubevirt.featureGates", r.ctx, gates);
    config.feature_gates.insert(gates.begin(), gates.end());
  }
  if (n["defaultArchitecture"]) {
    models::decode_value(n["defaultArchitecture"], "kubevirt.defaultArchitecture", r.ctx, config.default_architecture);
    if (!kubevirt::is_architecture(config.default_architecture))
      r.ctx.fail(models::location_of(n["defaultArchitecture"]), "kubevirt.defaultArchitecture",
                 fmt::format("Unsupported value: \"{}\": supported values: {}", config.default_architecture,
                             kubevirt::kArchitectures));
  }
}

}  // namespace

double read_duration(const YAML::Node& n, const std::string& path, models::DecodeContext& ctx) {
  if (!n.IsScalar()) {
    ctx.fail(models::location_of(n), path, "expected a duration such as 30s or 5m");
    return 0;
  }
  auto d = models::parse_duration(n.Scalar());
  if (!d) ctx.fail(models::location_of(n), path, fmt::format("\"{}\" is not a duration (e.g. 30s, 5m)", n.Scalar()));
  return d.value_or(0);
}

bool refuse_unknown_keys(const YAML::Node& n, const std::string& path, std::initializer_list<std::string_view> known,
                         models::DecodeContext& ctx) {
  return refuse_unknown_keys(n, path, std::vector<std::string_view>(known), ctx);
}

bool refuse_unknown_keys(const YAML::Node& n, const std::string& path, const std::vector<std::string_view>& known,
                         models::DecodeContext& ctx) {
  if (!n.IsMap()) {
    ctx.fail(models::location_of(n), path.empty() ? "(top level)" : path, "expected a mapping");
    return false;
  }
  bool ok = true;
  for (auto it = n.begin(); it != n.end(); ++it)
    if (std::find(known.begin(), known.end(), it->first.Scalar()) == known.end()) {
      std::string valid;
      for (auto k : known) valid += (valid.empty() ? "" : ", ") + std::string(k);
      ctx.fail(models::location_of(it->first), models::child_path(path, it->first.Scalar()),
               fmt::format("unknown field \"{}\" (expected one of {})", it->first.Scalar(), valid));
      ok = false;
    }
  return ok;
}

bool RunResult::ok() const {
  if (!command_errors.empty()) return false;
  for (const auto& r : results)
    if (!r.held) return false;
  return true;
}

std::string resolve_scenario_path(const std::string& name_or_path) {
  namespace fs = std::filesystem;
  if (fs::exists(name_or_path)) return name_or_path;
  for (const std::string& base : {std::string("scenarios/"), std::string(build_paths::source_dir()) + "/scenarios/"}) {
    for (const std::string& candidate : {base + name_or_path, base + name_or_path + ".yaml"})
      if (fs::exists(candidate)) return candidate;
  }
  return name_or_path;
}

std::optional<Scenario> load_scenario(const std::string& path, models::Problems& problems) {
  std::string error;
  const auto text = models::read_input_file(path, models::InputLimits{}.max_bytes, error);
  if (!text) {
    problems.push_back({path, {}, "", "cannot read the scenario: " + error + " (scenarios live in scenarios/)"});
    return std::nullopt;
  }
  const auto root = models::parse_yaml_document(*text, path, problems);
  if (!root) return std::nullopt;
  return read_scenario(*root, path, problems);
}

namespace {
std::optional<Scenario> read_scenario_fields(const YAML::Node& root, const std::string& path, models::Problems& problems);
}  // namespace

std::optional<Scenario> read_scenario(const YAML::Node& root, const std::string& path, models::Problems& problems) {
  try {
    return read_scenario_fields(root, path, problems);
  } catch (const YAML::Exception& e) {
    problems.push_back(models::unexpected_shape(e, path));
    return std::nullopt;
  }
}

namespace {
std::optional<Scenario> read_scenario_fields(const YAML::Node& root, const std::string& path, models::Problems& problems) {
  models::DecodeContext ctx;
  ctx.file = path;
  Reader r{ctx};
  Scenario s;
  s.file = path;
  r.unknown_keys(root, "", {"name", "description", "seed", "kubernetesVersion", "profile", "platform", "kubevirt",
                            "objects", "generate", "timeline", "expect", "until", "endWhenMet"});
  if (!ctx.problems.empty()) {
    problems = ctx.problems;
    return std::nullopt;
  }
  if (root["name"]) models::decode_value(root["name"], "name", ctx, s.name);
  if (root["description"]) models::decode_value(root["description"], "description", ctx, s.description);
  if (root["seed"]) {
    std::int64_t seed = 1;
    models::decode_value(root["seed"], "seed", ctx, seed);
    s.seed = static_cast<std::uint64_t>(seed);
  }
  if (root["kubernetesVersion"]) {
    std::string v;
    models::decode_value(root["kubernetesVersion"], "kubernetesVersion", ctx, v);
    s.cluster.profile = engine::profile_for_version(v);
  }
  if (root["profile"]) engine::read_profile(root["profile"], s.cluster.profile, ctx);
  const auto platform = root["platform"];
  if (!platform) ctx.fail(models::location_of(root), "platform", "Required value: the cluster's nodes");
  else if (!platform.IsMap()) ctx.fail(models::location_of(platform), "platform", "expected a mapping");
  else {
    r.unknown_keys(platform, "platform", {"nodes"});
    const auto nodes = platform["nodes"];
    if (!nodes || !nodes.IsSequence() || nodes.size() == 0)
      ctx.fail(models::location_of(platform), "platform.nodes", "Required value: at least one node");
    else
      for (std::size_t i = 0; i < nodes.size(); ++i)
        read_nodes(nodes[i], fmt::format("platform.nodes[{}]", i), r, s.cluster.platform.nodes);
    std::set<std::string> names;
    for (const auto& node : s.cluster.platform.nodes)
      if (!node.name.empty() && !names.insert(node.name).second)
        ctx.fail(models::location_of(platform), "platform.nodes",
                 fmt::format("Duplicate value: node \"{}\" is named twice", node.name));
  }
  if (const auto kv = root["kubevirt"]) read_kubevirt(kv, s.cluster.kubevirt, r);
  if (const auto objects = root["objects"]) {
    if (!objects.IsSequence()) ctx.fail(models::location_of(objects), "objects", "expected a list of manifests");
    else {
      YAML::Emitter out;
      for (const auto& doc : objects) out << YAML::BeginDoc << doc;
      s.objects_yaml = out.c_str();
      // Check them now, located in the scenario file.
      for (std::size_t i = 0; i < objects.size(); ++i) {
        models::DecodeContext octx;
        octx.file = path;
        auto obj = models::decode_object(objects[i], octx);
        if (obj && octx.problems.empty()) models::admit(*obj, octx);
        for (auto& p : octx.problems) {
          p.path = p.path.empty() ? fmt::format("objects[{}]", i) : fmt::format("objects[{}].{}", i, p.path);
          ctx.problems.push_back(p);
        }
      }
    }
  }
  if (const auto generate = root["generate"])
    for (auto& c : read_generate(generate, path, ctx)) s.timeline.push_back(std::move(c));
  if (const auto timeline = root["timeline"]) {
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      const auto item = timeline[i];
      const auto p = fmt::format("timeline[{}]", i);
      r.unknown_keys(item, p, {"at", "run"});
      TimedCommand c;
      c.at = item["at"] ? r.duration(item["at"], p + ".at") : 0;
      if (item["run"]) models::decode_value(item["run"], p + ".run", ctx, c.command);
      else ctx.fail(models::location_of(item), p + ".run", "Required value: the command to run");
      s.timeline.push_back(c);
    }
  }
  if (const auto expect = root["expect"]; expect && !expect.IsSequence() && !expect.IsNull()) {
    ctx.fail(models::location_of(expect), "expect", "expected a list of checks, each with after and by");
  } else if (expect) {
    for (std::size_t i = 0; i < expect.size(); ++i) {
      const auto item = expect[i];
      const auto p = fmt::format("expect[{}]", i);
      if (!item.IsMap()) {
        ctx.fail(models::location_of(item.IsDefined() ? item : expect), p,
                 "expected a mapping: a check, with after and by");
        continue;
      }
      // The checks of lab steps, held at some sim time in [after, by]; `changed`
      // and `new` compare with what was there at `after`.
      Expectation e;
      e.check = read_check(item, p, ctx, {"after", "by"});
      for (const char* lab_only : {"within", "from"})
        if (item[lab_only]) ctx.fail(models::location_of(item[lab_only]), p + "." + lab_only, "not valid in a scenario: use after and by");
      e.after = item["after"] ? r.duration(item["after"], p + ".after") : 0;
      if (!item["by"]) ctx.fail(models::location_of(item), p + ".by", "Required value: the sim time it must hold by");
      else e.by = r.duration(item["by"], p + ".by");
      s.expectations.push_back(e);
    }
  }
  s.until = root["until"] ? r.duration(root["until"], "until") : 0;
  if (root["endWhenMet"]) models::decode_value(root["endWhenMet"], "endWhenMet", ctx, s.end_when_met);
  for (const auto& e : s.expectations) s.until = std::max(s.until, e.by);
  for (const auto& c : s.timeline) s.until = std::max(s.until, c.at);
  if (s.until == 0) s.until = 60;
  s.cluster.seed = s.seed;
  if (!ctx.problems.empty()) {
    problems = ctx.problems;
    return std::nullopt;
  }
  return s;
}
}  // namespace

std::vector<std::string> apply_objects(const Scenario& s, cluster::Cluster& cluster) {
  if (s.objects_yaml.empty()) return {};
  return create_objects(models::load_manifests(s.objects_yaml, s.file), cluster);
}

std::vector<std::string> create_objects(const models::LoadResult& loaded, cluster::Cluster& cluster) {
  std::vector<std::string> errors;
  for (const auto& p : loaded.problems) errors.push_back(p.str());
  for (const auto& o : loaded.objects) {
    auto r = cluster.store().create(o, api::Cause{"user", "", "scenario objects"});
    if (!r.ok()) errors.push_back(r.error);
  }
  return errors;
}

RunResult run_scenario(const Scenario& s, cluster::Cluster& cluster) {
  RunResult result;
  for (const auto& e : s.expectations) result.results.push_back({&e, false, -1, {}});
  const StoreObjects objects(cluster.store());
  std::map<const Expectation*, Baseline> baselines;  // taken at `after`
  // Counts are kept from the store's changes (one full read when the baseline is taken), so
  // every check is judged on every change, at exact times, for O(change) each.
  std::map<const Expectation*, CountTracker> counts;
  // A count of deletions (`deleted: true`) compares with the baseline's objects: it is evaluated whole.
  auto tracked = [](const Check& c) { return c.counting && !c.deleted; };
  std::set<const Expectation*> closed;  // counts whose window closed: their sentence is written
  auto check = [&](const api::WatchEvent* change) {
    const double t = cluster.now();
    // A count that did not hold by `by` says what it found then: the tracker still holds every
    // change up to `by` (this one, later, is not in yet). Written once: it lists names.
    for (auto& r : result.results)
      if (!r.held && t > r.expectation->by + 1e-9 && counts.contains(r.expectation) && closed.insert(r.expectation).second)
        r.found = counts.at(r.expectation).verdict().found;
    if (change)
      for (auto& [e, tracker] : counts) tracker.observe(*change->object, change->type == api::EventType::Deleted);
    for (auto& r : result.results) {
      const auto& e = *r.expectation;
      if (r.held || t < e.after || t > e.by + 1e-9) continue;
      if (!baselines.contains(&e)) {
        baselines[&e] = take_baseline(e.check, objects);
        if (tracked(e.check)) counts.emplace(&e, CountTracker(e.check, baselines[&e])).first->second.reset(objects);
      }
      if (tracked(e.check)) {
        const auto& tracker = counts.at(&e);
        if (tracker.held()) r.held = true, r.at = t, r.found.clear();
        continue;
      }
      const Verdict v = evaluate(e.check, objects, baselines[&e]);
      r.found = v.found;
      if (v.held) r.held = true, r.at = t;
    }
  };
  // The listener captures this frame: it goes when the run returns.
  struct Listening {
    api::Store& store;
    int id;
    ~Listening() { store.remove_change_listener(id); }
  } listening{cluster.store(), cluster.store().add_change_listener([&](const api::WatchEvent& e) { check(&e); })};
  commands::Executor exec(cluster);
  result.command_errors = apply_objects(s, cluster);
  // Baselines for expectations that start at 0.
  check(nullptr);
  auto timeline = s.timeline;
  std::stable_sort(timeline.begin(), timeline.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  std::vector<double> stops;
  for (const auto& e : s.expectations) stops.push_back(e.after);
  for (const auto& c : timeline) stops.push_back(c.at);
  stops.push_back(s.until);
  std::sort(stops.begin(), stops.end());
  std::size_t next_cmd = 0;
  auto all_met = [&] {
    if (next_cmd < timeline.size()) return false;
    for (const auto& r : result.results)
      if (!r.held) return false;
    return true;
  };
  for (double stop : stops) {
    if (s.end_when_met) {
      while (cluster.now() < stop - 1e-9 && !all_met()) cluster.run_until(std::min(stop, std::floor(cluster.now()) + 1));
      if (all_met()) break;
    }
    cluster.run_until(stop);
    check(nullptr);
    while (next_cmd < timeline.size() && timeline[next_cmd].at <= cluster.now() + 1e-9) {
      if (!timeline[next_cmd].object.empty()) {
        for (auto& e : create_objects(timeline[next_cmd].object.load(s.file), cluster)) result.command_errors.push_back(e);
        ++next_cmd;
        continue;
      }
      auto out = exec.run(timeline[next_cmd].command);
      if (!out.ok()) result.command_errors.push_back(fmt::format("at {}: {}: {}", models::format_seconds(timeline[next_cmd].at),
                                                                  timeline[next_cmd].command, out.error));
      ++next_cmd;
      check(nullptr);
    }
  }
  // A count whose window is still open at the end (by the last change) says what it finds now.
  for (auto& r : result.results)
    if (!r.held && !closed.contains(r.expectation))
      if (auto it = counts.find(r.expectation); it != counts.end()) r.found = it->second.verdict().found;
  return result;
}

}  // namespace kvsim::sim::scenario
