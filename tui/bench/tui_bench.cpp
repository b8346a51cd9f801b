// kvsim_tui_bench: the TUI's frame budget (< 50 ms) with 100,000 objects in
// the store. Fills a store with nodes, VMIs and their launcher pods, then
// times the table, map, timeline and reconciliation renders per frame, both
// when the store changed since the last frame (the sim is running) and when
// it did not. Prints ms/frame; exits 1 when a render misses the budget.
#include <chrono>
#include <cstdio>
#include <functional>

#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "models/pod.hpp"
#include "models/registry.hpp"
#include "sim/api/store.hpp"
#include "tui/render/cluster_map.hpp"
#include "tui/render/history.hpp"
#include "tui/render/reconcile.hpp"
#include "tui/render/table.hpp"
#include "tui/render/timeline.hpp"

using namespace kvsim;
namespace render = kvsim::tui::render;

namespace {

constexpr int kNodes = 1000, kVms = 33000;  // 1,000 nodes + 33,000 x (VM, VMI, pod) = 100,000 objects
constexpr double kBudgetMs = 50;
constexpr std::size_t kWidth = 200, kHeight = 30;

std::shared_ptr<models::Object> load(const std::string& yaml) {
  auto r = models::load_manifests(yaml, "bench.yaml");
  if (!r.ok() || r.objects.size() != 1) {
    std::fprintf(stderr, "bench fixture does not load: %s\n", models::join_lines(r.problems).c_str());
    std::exit(2);
  }
  return r.objects.front();
}

template <class T>
std::shared_ptr<T> copy_named(const models::Object& tmpl, const std::string& name) {
  auto o = std::static_pointer_cast<T>(tmpl.clone());
  o->metadata.name = name;
  return o;
}

double ms_per_frame(int frames, const std::function<void()>& frame) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < frames; ++i) frame();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / frames;
}

}  // namespace

int main() {
  sim::engine::Rng rng(1);
  sim::engine::Trace trace;
  sim::api::Store store(rng, trace);
  render::History history;
  std::uint64_t version = 0;
  store.add_change_listener([&](const sim::api::WatchEvent& e) {
    ++version;
    if (e.object) history.observe(*e.object);
  });
  const sim::api::Cause cause{"bench", "", ""};
  const auto node = load("apiVersion: v1\nkind: Node\nmetadata: {name: n}\n");
  const auto vm = load(
      "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: v, namespace: default}\n"
      "spec:\n  runStrategy: Always\n  template:\n    spec:\n      domain:\n        devices: {}\n"
      "        memory: {guest: 1Gi}\n");
  const auto vmi = load(
      "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstance\nmetadata: {name: v, namespace: default}\n"
      "spec:\n  domain:\n    devices: {}\n    memory: {guest: 1Gi}\n");
  const auto pod = load(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
      "spec:\n  containers:\n  - {name: compute, image: quay.io/kubevirt/virt-launcher}\n");

  const auto fill_start = std::chrono::steady_clock::now();
  store.create(load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n"), cause);
  for (int n = 0; n < kNodes; ++n) store.create(copy_named<models::Node>(*node, "node-" + std::to_string(n)), cause);
  for (int i = 0; i < kVms; ++i) {
    const std::string name = "vm-" + std::to_string(i), host = "node-" + std::to_string(i % kNodes);
    auto v = store.create(copy_named<models::VirtualMachine>(*vm, name), cause).object;
    auto m = copy_named<models::VirtualMachineInstance>(*vmi, name);
    m->metadata.ownerReferences.push_back({"kubevirt.io/v1", "VirtualMachine", name, v->metadata.uid, true, true});
    auto created = store.create(m, cause).object;
    auto running = std::static_pointer_cast<models::VirtualMachineInstance>(created->clone());
    running->status.phase = "Running";
    running->status.nodeName = host;
    store.update(running, cause);
    auto p = copy_named<models::Pod>(*pod, "virt-launcher-" + name);
    p->spec.nodeName = host;
    p->metadata.ownerReferences.push_back({"kubevirt.io/v1", "VirtualMachineInstance", name, created->metadata.uid, true, true});
    store.create(p, cause);
  }
  history.catch_up(trace.records());
  std::size_t objects = 0;
  for (const auto* k : models::all_kinds())
    if (k->not_modelled.empty()) objects += store.count(*k);
  std::printf("store: %zu objects, %zu trace records (filled in %.1f s)\n", objects, trace.records().size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count());

  const auto& vmi_kind = models::VirtualMachineInstance::kind_info();
  render::TableRows rows;
  const render::TableQuery all_vmis{&vmi_kind, "default", ""};
  const render::TableWindow window{16000, 16010, kWidth, kHeight, false};
  const double now = 5000;
  bool within = true;
  auto report = [&](const char* what, double ms) {
    std::printf("%-76s %8.3f ms/frame%s\n", what, ms, ms < kBudgetMs ? "" : "  OVER BUDGET");
    within = within && ms < kBudgetMs;
  };
  std::uint64_t frame_version = version;
  report("table, 33,000 VMIs, store changed every frame", ms_per_frame(20, [&] {
           render::render_table(vmi_kind, rows.rows(store, all_vmis, ++frame_version), now, window);
         }));
  report("table, 33,000 VMIs, store unchanged", ms_per_frame(200, [&] {
           render::render_table(vmi_kind, rows.rows(store, all_vmis, frame_version), now, window);
         }));
  const render::TableQuery filtered{&vmi_kind, "default", "vm-123"};
  report("table, 33,000 VMIs filtered by /vm-123, store changed", ms_per_frame(20, [&] {
           render::render_table(vmi_kind, rows.rows(store, filtered, ++frame_version), now, window);
         }));
  report("cluster map, 1,000 nodes (12 on screen)", ms_per_frame(100, [&] {
           auto map = render::collect_map(store, nullptr, 500, 12, now);
           render::render_map(map, kWidth, kHeight, render::Glyphs::unicode());
         }));
  report("timeline, all records", ms_per_frame(200, [&] {
           render::render_timeline(trace.records(), std::nullopt, {kWidth, kHeight, 0});
         }));
  const auto selected = store.get(vmi_kind, "default", "vm-16000");
  report("timeline, chain of the selected VMI", ms_per_frame(200, [&] {
           render::render_timeline(trace.records(), history.records_of(history.chain(selected->metadata.uid)),
                                   {kWidth, kHeight, 0});
         }));
  report("reconciliation panel, the selected VMI", ms_per_frame(200, [&] {
           render::render_reconcile(*selected, trace.records(), history, kWidth / 2, kHeight);
         }));
  report("whole table frame: table + reconciliation + chain timeline, store changed", ms_per_frame(20, [&] {
           render::render_table(vmi_kind, rows.rows(store, all_vmis, ++frame_version), now, window);
           render::render_reconcile(*selected, trace.records(), history, kWidth / 2, kHeight);
           render::render_timeline(trace.records(), history.records_of(history.chain(selected->metadata.uid)),
                                   {kWidth / 2, kHeight, 0});
         }));
  return within ? 0 : 1;
}
