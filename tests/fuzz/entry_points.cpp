#include "tests/fuzz/entry_points.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

#include "models/codec/safe_yaml.hpp"
#include "models/codec/yaml_writer.hpp"
#include "models/duration.hpp"
#include "models/label_selector.hpp"
#include "models/manifest.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/commands/executor.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/target.hpp"
#include "sim/lab/lab.hpp"
#include "sim/regression/trace_diff.hpp"
#include "sim/scenario/scenario.hpp"

namespace kvsim::fuzz {
namespace {

// A broken invariant: say which, with the evidence, and abort (libFuzzer keeps the input).
void require(bool holds, std::string_view what, const std::string& evidence) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n%s\n", static_cast<int>(what.size()), what.data(),
               evidence.c_str());
  std::abort();
}

// Every refusal names the file, and for YAML a line and column.
void require_located(const models::Problems& problems, const std::string& file) {
  for (const auto& p : problems) require(p.file == file, "a problem names its file", p.str());
  for (const auto& p : problems)
    if (p.message.starts_with("YAML: ")) require(p.at.line > 0, "a YAML problem has a line and column", p.str());
}

}  // namespace

std::string manifests(std::string_view data) {
  const std::string file = "fuzz.yaml";
  auto loaded = models::load_manifests(data, file);
  require_located(loaded.problems, file);
  if (!loaded.ok()) return models::join_lines(loaded.problems);
  std::string printed;
  for (const auto& o : loaded.objects) printed += "---\n" + models::to_yaml(o->to_json());
  // What `get -o yaml` prints of an accepted object is a manifest kvsim accepts.
  auto again = models::load_manifests(printed, "printed.yaml");
  require(again.ok(), "printed objects load again", models::join_lines(again.problems) + "\n" + printed);
  require(again.objects.size() == loaded.objects.size(), "as many objects load again", printed);
  return fmt::format("ok: {} objects", loaded.objects.size());
}

std::string command_lines(std::string_view data) {
  std::string out;
  std::istringstream in{std::string(data)};
  for (std::string line; std::getline(in, line);) {
    std::string error;
    auto words = sim::commands::split_words(line, error);
    if (!error.empty()) {
      out += "error: " + error + "\n";
      continue;
    }
    if (!words.empty() && (words[0] == "oc" || words[0] == "kubectl" || words[0] == "virtctl"))
      words.erase(words.begin());
    if (words.empty()) continue;
    const std::vector<std::string> args(words.begin() + 1, words.end());
    const auto flags = sim::commands::parse_flags(args);
    if (!flags.error.empty()) {
      out += "error: " + flags.error + "\n";
      continue;
    }
    const auto target = sim::commands::parse_target(flags.positional, "fuzz");
    out += target.error.empty() ? fmt::format("{} {}\n", words[0], target.kind->kind) : target.error + "\n";
    if (!flags.selector.empty()) {
      const auto selector = models::parse_selector(flags.selector);
      if (!selector.selector) out += "selector: " + selector.error + "\n";
    }
    for (const auto& a : args) (void)models::parse_duration(a);
  }
  return out;
}

std::string scenario(std::string_view data) {
  const std::string file = "fuzz-scenario.yaml";
  models::Problems problems;
  const auto root = models::parse_yaml_document(data, file, problems);
  if (!root) return models::join_lines(problems);
  const auto s = sim::scenario::read_scenario(*root, file, problems);
  if (!s) return models::join_lines(problems);
  // The objects were checked where they stand; as written out for the run they load the same.
  auto objects = models::load_manifests(s->objects_yaml, file);
  require(objects.ok(), "a scenario's checked objects load for the run",
          models::join_lines(objects.problems) + "\n" + s->objects_yaml);
  std::size_t copies_loaded = 0;  // a few: 100,000 copies would make one input take seconds
  for (const auto& c : s->timeline) {
    std::string error;
    (void)sim::commands::split_words(c.command, error);
    if (c.object.empty() || ++copies_loaded > 3) continue;
    auto created = c.object.load(file);
    require(created.ok(), "a generated copy loads", models::join_lines(created.problems) + "\n" + c.object.yaml());
    // Made from the parsed template, it is what its text would load as.
    auto from_text = models::load_manifests(c.object.yaml(), file);
    require(from_text.ok() && from_text.objects.size() == 1 &&
                from_text.objects[0]->to_json() == created.objects[0]->to_json(),
            "a generated copy is what its text loads as", c.object.yaml());
  }
  return fmt::format("ok: {} objects, {} timed commands", objects.objects.size(), s->timeline.size());
}

std::string lab(std::string_view data) {
  const std::string file = "fuzz-lab/lab.yaml";
  models::Problems problems;
  const auto root = models::parse_yaml_document(data, file, problems);
  if (!root) return models::join_lines(problems);
  const auto l = sim::lab::read_lab(*root, file, problems);
  if (!l) return models::join_lines(problems);
  for (const auto& step : l->steps)
    for (const auto& line : step.solution) {
      std::string error;
      (void)sim::commands::split_words(line, error);
    }
  return fmt::format("ok: {} steps", l->steps.size());
}

std::string trace(std::string_view data) {
  std::istringstream in{std::string(data)};
  const auto t = sim::regression::read_trace(in, "fuzz.jsonl");
  if (!t.error.empty()) return t.error;
  require(!sim::regression::first_divergence(t.records, t.records), "a trace agrees with itself", "");
  if (!t.records.empty()) {
    auto shorter = t.records;
    shorter.pop_back();
    const auto d = sim::regression::first_divergence(t.records, shorter);
    require(d.has_value(), "a trace differs from itself less its last record", "");
    (void)sim::regression::explain(*d, t.records, "a", "b");
  }
  return fmt::format("ok: {} records", t.records.size());
}

}  // namespace kvsim::fuzz

namespace kvsim::fuzz {

namespace {

sim::cluster::Cluster* cluster = nullptr;
sim::apiserver::Handler* handler = nullptr;

// Registered with atexit once the cluster exists, so it runs before SimGrid's
// own exit handler (registered when the engine was made): a Cluster shut down
// after that creates an actor on a dead engine (SEGV in ActorImpl::init), which
// a function-local static did.
void destroy_api_cluster() {
  delete handler;
  delete cluster;
  handler = nullptr;
  cluster = nullptr;
}

// A small cluster with the default scenario's shape, made on first use.
sim::apiserver::Handler& api_handler() {
  if (!handler) {
    models::Problems problems;
    const std::string text = R"(name: fuzz
seed: 1
platform:
  nodes:
  - {name: control-plane-1, role: control-plane, cpu: 8, memory: 32Gi}
  - {name: worker-1, role: worker, cpu: 16, memory: 64Gi}
objects:
- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata: {name: vm1, namespace: default}
  spec:
    runStrategy: Always
    template:
      spec:
        domain:
          devices: {disks: [{name: rootdisk, disk: {bus: virtio}}]}
          memory: {guest: 1Gi}
        volumes: [{name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}]
)";
    const std::string path = fmt::format("/tmp/kvsim-fuzz-scenario-{}.yaml", ::getpid());
    if (std::FILE* f = std::fopen(path.c_str(), "w")) std::fputs(text.c_str(), f), std::fclose(f);
    auto s = sim::scenario::load_scenario(path, problems);
    std::remove(path.c_str());
    require(s.has_value(), "the fuzz cluster's scenario loads", models::join_lines(problems));
    cluster = new sim::cluster::Cluster(s->cluster);
    sim::scenario::apply_objects(*s, *cluster);
    cluster->run_until(30);
    handler = new sim::apiserver::Handler(*cluster);
    std::atexit(destroy_api_cluster);
  }
  return *handler;
}

}  // namespace

std::string api_request(std::string_view data) {
  sim::apiserver::Request r;
  const auto first = data.find('\n');
  const std::string_view head = data.substr(0, first);
  const auto space = head.find(' ');
  r.method = std::string(head.substr(0, space));
  const std::string_view target = space == std::string_view::npos ? std::string_view() : head.substr(space + 1);
  const auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const auto pair = rest.substr(0, amp);
      const auto eq = pair.find('=');
      r.query[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
  }
  std::string_view rest = first == std::string_view::npos ? std::string_view() : data.substr(first + 1);
  const auto second = rest.find('\n');
  r.content_type = std::string(rest.substr(0, second));
  r.body = second == std::string_view::npos ? std::string() : std::string(rest.substr(second + 1));
  r.accept = r.query.count("table") ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json";
  auto reply = api_handler().handle(r);
  const int status = reply.response.status;
  require(status >= 200 && status < 600, "a valid HTTP status", std::to_string(status));
  if (reply.response.content_type.starts_with("application/json") && !reply.open_stream)
    require(models::Json::accept(reply.response.body), "a JSON body", reply.response.body.substr(0, 400));
  return fmt::format("{} {}", status, reply.response.body.substr(0, 200));
}

}  // namespace kvsim::fuzz
