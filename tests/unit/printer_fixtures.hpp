#pragma once
// Fixtures shared by the printer tests (tables and describe): manifests, a
// fixed "now", and helpers that load objects and pick lines out of output.
#include <catch2/catch.hpp>

#include <sstream>

#include "models/apps.hpp"
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "sim/commands/printers.hpp"

using kvsim::models::Event;
using kvsim::models::Object;
using kvsim::models::ObjectPtr;
using kvsim::models::Timestamp;
using kvsim::sim::commands::describe;
using kvsim::sim::commands::format_rfc1123z;
using kvsim::sim::commands::print_table;
using kvsim::sim::commands::TableOptions;
using kvsim::sim::commands::tabwrite;

namespace printer_fixtures {

inline constexpr double kNow = 1000000;  // sim seconds

// Loads one manifest document and stamps its creation `age` seconds before kNow.
inline std::shared_ptr<Object> load(const std::string& yaml, double age = 0) {
  auto result = kvsim::models::load_manifests(yaml, "test.yaml");
  INFO(kvsim::models::join_lines(result.problems));
  REQUIRE(result.ok());
  REQUIRE(result.objects.size() == 1);
  auto obj = result.objects.front();
  obj->metadata.creationTimestamp = Timestamp{kNow - age};
  return obj;
}

template <class T>
inline std::shared_ptr<T> load_as(const std::string& yaml, double age = 0) {
  auto typed = std::dynamic_pointer_cast<T>(load(yaml, age));
  REQUIRE(typed);
  return typed;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The first line of `text` that starts with `prefix`; "" when none does.
inline std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const auto& l : lines_of(text))
    if (l.rfind(prefix, 0) == 0) return l;
  return "";
}

inline std::string table(const std::vector<std::shared_ptr<Object>>& objects, const TableOptions& opts = {}) {
  REQUIRE(!objects.empty());
  std::vector<ObjectPtr> list(objects.begin(), objects.end());
  return print_table(objects.front()->info(), list, kNow, opts);
}

inline std::shared_ptr<const Event> event(const std::string& type, const std::string& reason, const std::string& message,
                                   const std::string& component, double first_ago, double last_ago, int count) {
  auto e = std::make_shared<Event>();
  e->apiVersion = "v1";
  e->kind = "Event";
  e->metadata.name = "ev-" + reason;
  e->metadata.namespace_ = "default";
  e->involvedObject.mut().kind = "Pod";
  e->involvedObject.mut().name = "p";
  e->type = type;
  e->reason = reason;
  e->message = message;
  e->source.mut().component = component;
  e->firstTimestamp = Timestamp{kNow - first_ago};
  e->lastTimestamp = Timestamp{kNow - last_ago};
  e->count = count;
  return e;
}

inline const std::string kLauncherPod = R"(
apiVersion: v1
kind: Pod
metadata:
  name: virt-launcher-vm-fedora-dpc87
  namespace: default
  ownerReferences:
  - apiVersion: kubevirt.io/v1
    kind: VirtualMachineInstance
    name: vm-fedora
    uid: 6a1c2d3e
    controller: true
spec:
  nodeName: node01
  containers:
  - name: compute
    image: quay.io/kubevirt/virt-launcher:v1.5.0
    resources:
      requests:
        cpu: 100m
        memory: 1Gi
  - name: volumecontainerdisk
    image: quay.io/containerdisks/fedora:41
status:
  phase: Running
  hostIP: 192.168.66.101
  podIP: 10.244.1.7
  podIPs:
  - ip: 10.244.1.7
  conditions:
  - type: Ready
    status: "True"
  - type: PodScheduled
    status: "True"
  containerStatuses:
  - name: compute
    ready: true
    restartCount: 0
    state:
      running: {}
  - name: volumecontainerdisk
    ready: true
    restartCount: 0
    state:
      running: {}
)";

inline const std::string kPendingPod = R"(
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: default
spec:
  containers:
  - name: web
    image: nginx:1.27
status:
  phase: Pending
)";

}  // namespace printer_fixtures

using namespace printer_fixtures;
