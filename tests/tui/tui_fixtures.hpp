#pragma once
// A store without an engine, filled from manifests, for the TUI's pure
// renderers: objects are created as the API server would (uid, timestamps),
// then given the status a test needs.
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "models/pod.hpp"
#include "sim/api/store.hpp"
#include "tui/render/history.hpp"
#include "tui/render/style.hpp"

namespace tui_fixtures {

using kvsim::models::ObjectPtr;

struct World {
  kvsim::sim::engine::Rng rng{1};
  kvsim::sim::engine::Trace trace;
  kvsim::sim::api::Store store{rng, trace};
  kvsim::tui::render::History history;
  std::uint64_t version = 0;
  World() {
    store.add_change_listener([this](const kvsim::sim::api::WatchEvent& e) {
      ++version;
      if (e.object) history.observe(*e.object);
    });
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n");
  }

  ObjectPtr create(const std::string& yaml, const std::string& component = "user") {
    auto r = kvsim::models::load_manifests(yaml, "test.yaml");
    INFO(kvsim::models::join_lines(r.problems));
    REQUIRE(r.ok());
    auto w = store.create(r.objects.front(), {component, "", ""});
    INFO(w.error);
    REQUIRE(w.ok());
    history.catch_up(trace.records());
    return w.object;
  }
  // Writes a changed copy (status or spec) back, as `component` would.
  template <class T>
  ObjectPtr update(const ObjectPtr& o, const std::function<void(T&)>& change, const std::string& component,
                   const std::string& what = "", const std::string& why = "") {
    auto next = std::static_pointer_cast<T>(o->clone());
    change(*next);
    next->metadata.resourceVersion.clear();
    auto w = store.update(next, {component, what, why});
    REQUIRE(w.ok());
    history.catch_up(trace.records());
    return w.object;
  }

  ObjectPtr node(const std::string& name) {
    return create("apiVersion: v1\nkind: Node\nmetadata: {name: " + name + "}\n");
  }
  ObjectPtr vm(const std::string& name) {
    return create("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: " + name +
                  ", namespace: default}\nspec:\n  runStrategy: Always\n  template:\n    spec:\n      domain:\n"
                  "        devices: {}\n        memory: {guest: 1Gi}\n");
  }
  // A VMI owned by `owner` (a VM), Running on `node`.
  ObjectPtr vmi(const std::string& name, const ObjectPtr& owner, const std::string& node, const std::string& phase = "Running") {
    auto created = create("apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstance\nmetadata:\n  name: " + name +
                              "\n  namespace: default\n  ownerReferences:\n  - {apiVersion: kubevirt.io/v1, kind: "
                              "VirtualMachine, name: " + owner->metadata.name + ", uid: " + owner->metadata.uid +
                              ", controller: true}\nspec:\n  domain:\n    devices: {}\n    memory: {guest: 1Gi}\n",
                          "virt-controller");
    return update<kvsim::models::VirtualMachineInstance>(
        created, [&](auto& v) { v.status.phase = phase, v.status.nodeName = node; }, "virt-handler/" + node,
        "phase Scheduled -> " + phase, "domain running");
  }
  ObjectPtr launcher_pod(const std::string& name, const ObjectPtr& vmi, const std::string& node) {
    return create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                      "\n  namespace: default\n  ownerReferences:\n  - {apiVersion: kubevirt.io/v1, kind: "
                      "VirtualMachineInstance, name: " + vmi->metadata.name + ", uid: " + vmi->metadata.uid +
                      ", controller: true}\nspec:\n  nodeName: " + node +
                      "\n  containers:\n  - {name: compute, image: quay.io/kubevirt/virt-launcher}\n",
                  "virt-controller");
  }
};

// A renderer's lines as plain text, one per line (roles dropped).
inline std::string joined(const kvsim::tui::render::Lines& lines) {
  std::string out;
  for (const auto& l : lines) out += l.text() + "\n";
  return out;
}

}  // namespace tui_fixtures
