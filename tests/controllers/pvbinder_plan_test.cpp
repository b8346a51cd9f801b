// The PV controller's decisions as tables: which PV a claim binds, when it
// waits, is provisioned or lost, and what reclaim does with a released PV.
#include <catch2/catch.hpp>

#include <functional>

#include "sim/controllers/pvbinder/plan.hpp"
#include "sim/controllers/pvbinder/provisioner.hpp"

using namespace kvsim;
// Declarations, not `using namespace`: the test suite is built in unity batches, where a
// using-directive would reach the files after this one (pvbinder::Event against models::Event).
using kvsim::sim::controllers::pvbinder::ClaimPlan;
using kvsim::sim::controllers::pvbinder::ClaimView;
using kvsim::sim::controllers::pvbinder::find_matching_volume;
using kvsim::sim::controllers::pvbinder::kBindCompleted;
using kvsim::sim::controllers::pvbinder::kProvisionedBy;
using kvsim::sim::controllers::pvbinder::kSelectedNode;
using kvsim::sim::controllers::pvbinder::node_affinity_allows;
using kvsim::sim::controllers::pvbinder::plan_claim;
using kvsim::sim::controllers::pvbinder::plan_volume;
using kvsim::sim::controllers::pvbinder::provisioned_volume;
using Action = ClaimPlan::Action;

namespace {

models::PersistentVolume pv(const std::string& name, const char* size, std::vector<std::string> modes,
                            const std::string& storage_class = "", const std::string& phase = "Available") {
  models::PersistentVolume v;
  v.metadata.name = name;
  v.spec.capacity["storage"] = *models::Quantity::parse(size);
  v.spec.accessModes = std::move(modes);
  v.spec.storageClassName = storage_class;
  v.spec.volumeMode = "Filesystem";
  v.spec.persistentVolumeReclaimPolicy = "Retain";
  v.status.phase = phase;
  return v;
}

models::PersistentVolumeClaim pvc(const std::string& name, const char* size, std::vector<std::string> modes,
                                  std::optional<std::string> storage_class = std::string()) {
  models::PersistentVolumeClaim c;
  c.metadata.name = name;
  c.metadata.namespace_ = "default";
  c.metadata.uid = "uid-" + name;
  c.spec.resources.requests["storage"] = *models::Quantity::parse(size);
  c.spec.accessModes = std::move(modes);
  c.spec.storageClassName = std::move(storage_class);
  c.spec.volumeMode = "Filesystem";
  c.status.phase = "Pending";
  return c;
}

models::StorageClass storage_class(const std::string& name, const std::string& provisioner,
                                   const std::string& binding = "Immediate") {
  models::StorageClass sc;
  sc.metadata.name = name;
  sc.provisioner = provisioner;
  sc.reclaimPolicy = "Delete";
  sc.volumeBindingMode = binding;
  return sc;
}

std::string match(const models::PersistentVolumeClaim& c, const std::vector<const models::PersistentVolume*>& vs,
                  const models::Node* node = nullptr, bool delay = false) {
  const auto* found = find_matching_volume(c, vs, node, delay);
  return found ? found->metadata.name : "<none>";
}

models::Node hostname_node(const std::string& name) {
  models::Node n;
  n.metadata.name = name;
  n.metadata.labels["kubernetes.io/hostname"] = name;
  return n;
}

void pin(models::PersistentVolume& v, const std::string& host) {
  v.spec.nodeAffinity = models::Json::parse(R"({"required":{"nodeSelectorTerms":[{"matchExpressions":[
      {"key":"kubernetes.io/hostname","operator":"In","values":[")" + host + R"("]}]}]}})");
}

}  // namespace

TEST_CASE("a claim binds the smallest Available PV that satisfies size, class, modes and volume mode") {
  const auto small = pv("small-5", "5Gi", {"ReadWriteOnce"}, "manual");
  const auto fit = pv("fit-10", "10Gi", {"ReadWriteOnce"}, "manual");
  const auto big = pv("big-100", "100Gi", {"ReadWriteOnce"}, "manual");
  const auto other_class = pv("fast-10", "10Gi", {"ReadWriteOnce"}, "fast");
  const auto bound = pv("bound-10", "10Gi", {"ReadWriteOnce"}, "manual", "Bound");
  const auto rox = pv("rox-10", "10Gi", {"ReadOnlyMany"}, "manual");
  auto block = pv("block-10", "10Gi", {"ReadWriteOnce"}, "manual");
  block.spec.volumeMode = "Block";
  const std::vector<const models::PersistentVolume*> all = {&small, &big, &fit, &other_class, &bound, &rox, &block};
  struct Row {
    const char* what;
    models::PersistentVolumeClaim claim;
    std::string want;
  };
  auto block_claim = pvc("c", "8Gi", {"ReadWriteOnce"}, "manual");
  block_claim.spec.volumeMode = "Block";
  const std::vector<Row> rows = {
      {"smallest that fits", pvc("c", "8Gi", {"ReadWriteOnce"}, "manual"), "fit-10"},
      {"exact size", pvc("c", "10Gi", {"ReadWriteOnce"}, "manual"), "fit-10"},
      {"only the big one is big enough", pvc("c", "50Gi", {"ReadWriteOnce"}, "manual"), "big-100"},
      {"too big for any", pvc("c", "200Gi", {"ReadWriteOnce"}, "manual"), "<none>"},
      {"class fast", pvc("c", "1Gi", {"ReadWriteOnce"}, "fast"), "fast-10"},
      {"\"\" takes only class-less PVs", pvc("c", "1Gi", {"ReadWriteOnce"}, ""), "<none>"},
      {"no PV offers RWX", pvc("c", "1Gi", {"ReadWriteMany"}, "manual"), "<none>"},
      {"ROX", pvc("c", "1Gi", {"ReadOnlyMany"}, "manual"), "rox-10"},
      {"volumeMode Block", block_claim, "block-10"},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    CHECK(match(r.claim, all) == r.want);
  }
}

TEST_CASE("PVs are searched by access-mode set, fewest modes first, before size") {
  // A 20Gi RWO volume beats a 10Gi RWO+RWX one for an RWO claim (upstream's index order).
  const auto rwo = pv("rwo-20", "20Gi", {"ReadWriteOnce"});
  const auto both = pv("rwo-rwx-10", "10Gi", {"ReadWriteOnce", "ReadWriteMany"});
  CHECK(match(pvc("c", "5Gi", {"ReadWriteOnce"}), {&both, &rwo}) == "rwo-20");
  CHECK(match(pvc("c", "5Gi", {"ReadWriteOnce", "ReadWriteMany"}), {&both, &rwo}) == "rwo-rwx-10");
}

TEST_CASE("a label selector narrows the PVs a claim may bind") {
  auto fast = pv("ssd", "10Gi", {"ReadWriteOnce"});
  fast.metadata.labels["disk"] = "ssd";
  const auto slow = pv("hdd", "5Gi", {"ReadWriteOnce"});
  auto c = pvc("c", "1Gi", {"ReadWriteOnce"});
  CHECK(match(c, {&fast, &slow}) == "hdd");
  c.spec.selector = models::LabelSelector{{{"disk", "ssd"}}, {}};
  CHECK(match(c, {&fast, &slow}) == "ssd");
}

TEST_CASE("a PV pre-bound to a claim wins over a better fit, and one pre-bound elsewhere is skipped") {
  auto mine = pv("mine-50", "50Gi", {"ReadWriteOnce"}, "manual");
  mine.spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", "default", "c", "", {}, {}};
  auto theirs = pv("theirs-5", "5Gi", {"ReadWriteOnce"}, "manual");
  theirs.spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", "default", "other", "", {}, {}};
  const auto free = pv("free-10", "10Gi", {"ReadWriteOnce"}, "manual");
  CHECK(match(pvc("c", "1Gi", {"ReadWriteOnce"}, "manual"), {&free, &theirs, &mine}) == "mine-50");
  CHECK(match(pvc("d", "1Gi", {"ReadWriteOnce"}, "manual"), {&free, &theirs, &mine}) == "free-10");
  // A Released PV still names its old claim's UID: nobody else gets it.
  auto released = pv("released", "10Gi", {"ReadWriteOnce"}, "manual", "Released");
  released.spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", "default", "c", "old-uid", {}, {}};
  CHECK(match(pvc("c", "1Gi", {"ReadWriteOnce"}, "manual"), {&released}) == "<none>");
}

TEST_CASE("with a node, the scheduler's search honours PV node affinity, without, WaitForFirstConsumer claims wait") {
  auto on_w1 = pv("local-w1", "10Gi", {"ReadWriteOnce"}, "local");
  pin(on_w1, "worker-1");
  const auto w1 = hostname_node("worker-1"), w2 = hostname_node("worker-2");
  const auto c = pvc("c", "1Gi", {"ReadWriteOnce"}, "local");
  CHECK(match(c, {&on_w1}, &w1, true) == "local-w1");
  CHECK(match(c, {&on_w1}, &w2, true) == "<none>");
  CHECK(match(c, {&on_w1}, nullptr, true) == "<none>");
  CHECK(node_affinity_allows(on_w1, w1));
  CHECK_FALSE(node_affinity_allows(on_w1, w2));
}

TEST_CASE("an unbound claim binds, waits, or is handed to a provisioner, with upstream's events") {
  const auto fit = pv("fit", "10Gi", {"ReadWriteOnce"}, "manual");
  const auto ceph = storage_class("ceph", "openshift-storage.rbd.csi.ceph.com");
  const auto lvms = storage_class("lvms", "topolvm.io", "WaitForFirstConsumer");
  const auto local = storage_class("local", "kubernetes.io/no-provisioner");
  struct Row {
    const char* what;
    models::PersistentVolumeClaim claim;
    const models::StorageClass* sc;
    std::vector<std::string> unscheduled;
    Action action;
    std::string reason, message;
  };
  auto selected = pvc("c", "1Gi", {"ReadWriteOnce"}, "lvms");
  selected.metadata.annotations[kSelectedNode] = "worker-2";
  const std::vector<Row> rows = {
      {"a matching PV", pvc("c", "5Gi", {"ReadWriteOnce"}, "manual"), nullptr, {}, Action::Bind, "", ""},
      {"no PV, no class", pvc("c", "50Gi", {"ReadWriteOnce"}, ""), nullptr, {}, Action::Pending, "FailedBinding",
       "no persistent volumes available for this claim and no storage class is set"},
      {"class missing", pvc("c", "50Gi", {"ReadWriteOnce"}, "manual"), nullptr, {}, Action::Pending,
       "ProvisioningFailed", "storageclass.storage.k8s.io \"manual\" not found"},
      {"a CSI class", pvc("c", "1Gi", {"ReadWriteOnce"}, "ceph"), &ceph, {}, Action::Provision, "ExternalProvisioning",
       "Waiting for a volume to be created either by the external provisioner 'openshift-storage.rbd.csi.ceph.com' "
       "or manually by the system administrator. If volume creation is delayed, please verify that the provisioner "
       "is running and correctly registered."},
      {"no-provisioner, Immediate", pvc("c", "1Gi", {"ReadWriteOnce"}, "local"), &local, {}, Action::Pending,
       "ProvisioningFailed", "no volume plugin matched name: kubernetes.io/no-provisioner"},
      {"WaitForFirstConsumer, no pod", pvc("c", "1Gi", {"ReadWriteOnce"}, "lvms"), &lvms, {}, Action::Pending,
       "WaitForFirstConsumer", "waiting for first consumer to be created before binding"},
      {"WaitForFirstConsumer, a pod not scheduled yet", pvc("c", "1Gi", {"ReadWriteOnce"}, "lvms"), &lvms, {"web-0"},
       Action::Pending, "WaitForPodScheduled", "waiting for pod web-0 to be scheduled"},
      {"WaitForFirstConsumer, node chosen", selected, &lvms, {}, Action::Provision, "ExternalProvisioning", ""},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    ClaimView v;
    v.claim = &r.claim;
    v.volumes = {&fit};
    v.storage_class = r.sc;
    v.unscheduled_pods = r.unscheduled;
    const auto p = plan_claim(v);
    CHECK(p.action == r.action);
    if (r.action == Action::Bind) CHECK(p.volume == "fit");
    if (r.reason.empty()) continue;
    REQUIRE(p.event);
    CHECK(p.event->reason == r.reason);
    if (!r.message.empty()) CHECK(p.event->message == r.message);
  }
}

TEST_CASE("a claim asking for a PV by name binds it, refuses a mismatch, or waits for it") {
  const auto small = pv("small", "1Gi", {"ReadWriteOnce"}, "manual");
  auto c = pvc("c", "5Gi", {"ReadWriteOnce"}, "manual");
  c.spec.volumeName = "small";
  ClaimView v;
  v.claim = &c;
  v.named_volume = &small;
  auto p = plan_claim(v);
  CHECK(p.action == Action::Pending);
  REQUIRE(p.event);
  CHECK(p.event->reason == "VolumeMismatch");
  CHECK(p.event->message == "Cannot bind to requested volume \"small\": requested PV is too small");
  c.spec.resources.requests["storage"] = *models::Quantity::parse("1Gi");
  CHECK(plan_claim(v).action == Action::Bind);
  v.named_volume = nullptr;  // not created yet
  CHECK(plan_claim(v).action == Action::Pending);
}

TEST_CASE("a bound claim whose PV is gone or taken is Lost") {
  auto c = pvc("c", "1Gi", {"ReadWriteOnce"}, "manual");
  c.metadata.annotations[kBindCompleted] = "yes";
  c.spec.volumeName = "v";
  ClaimView v;
  v.claim = &c;
  auto p = plan_claim(v);
  CHECK(p.action == Action::Lost);
  CHECK(p.event->message == "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
  auto taken = pv("v", "1Gi", {"ReadWriteOnce"}, "manual", "Bound");
  taken.spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", "default", "other", "uid-other", {}, {}};
  v.named_volume = &taken;
  CHECK(plan_claim(v).event->reason == "ClaimMisbound");
  taken.spec.claimRef->uid = c.metadata.uid;
  CHECK(plan_claim(v).action == Action::Bind);
}

TEST_CASE("a claim made before any default class gets it retroactively") {
  auto c = pvc("c", "1Gi", {"ReadWriteOnce"}, std::nullopt);
  const auto sc = storage_class("standard", "csi.example.com");
  ClaimView v;
  v.claim = &c;
  v.default_class = &sc;
  const auto p = plan_claim(v);
  CHECK(p.action == Action::SetDefaultClass);
  CHECK(p.storage_class == "standard");
  c.spec.storageClassName = "";  // an explicit "" is left alone
  CHECK(plan_claim(v).action == Action::Pending);
}

TEST_CASE("a volume whose claim is gone is Released, then its reclaim policy applies") {
  auto claim = pvc("c", "1Gi", {"ReadWriteOnce"}, "manual");
  auto bound = pv("v", "1Gi", {"ReadWriteOnce"}, "manual", "Bound");
  bound.spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", "default", "c", claim.metadata.uid, {}, {}};
  claim.spec.volumeName = "v";
  CHECK(plan_volume(bound, &claim).phase.empty());  // all is well
  struct Row {
    const char* what;
    std::string policy;
    std::function<void(models::PersistentVolume&)> source;
    std::string phase;
    bool deleted;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"Retain", "Retain", [](auto&) {}, "Released", false, ""},
      {"Delete, provisioned (the provisioner deletes it)", "Delete",
       [](auto& v) { v.metadata.annotations[kProvisionedBy] = "csi.example.com"; }, "Released", false, ""},
      {"Delete, hostPath under /tmp", "Delete",
       [](auto& v) { v.spec.hostPath = models::HostPathVolumeSource{"/tmp/data", ""}; }, "Released", true, ""},
      {"Delete, hostPath elsewhere", "Delete",
       [](auto& v) { v.spec.hostPath = models::HostPathVolumeSource{"/mnt/data", ""}; }, "Failed", false,
       "host_path deleter only supports /tmp/.+ but received provided /mnt/data"},
      {"Delete, local volume", "Delete", [](auto& v) { v.spec.local = models::Json{{"path", "/mnt/disks/1"}}; },
       "Failed", false, "error getting deleter volume plugin for volume \"v\": no deletable volume plugin matched"},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    auto v = bound;
    v.spec.persistentVolumeReclaimPolicy = r.policy;
    r.source(v);
    const auto p = plan_volume(v, nullptr);
    CHECK(p.phase == r.phase);
    CHECK(p.delete_volume == r.deleted);
    CHECK(p.message == r.message);
  }
  // A new claim with the old name is not the old claim: the driver passes null, and a Failed PV stays Failed.
  auto failed = bound;
  failed.status.phase = "Failed";
  CHECK(plan_volume(failed, nullptr).phase.empty());
}

TEST_CASE("volume phases follow the binding: Available, pre-bound, half bound, Bound") {
  auto v = pv("v", "1Gi", {"ReadWriteOnce"}, "", "Pending");
  CHECK(plan_volume(v, nullptr).phase == "Available");
  v.spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", "default", "c", "", {}, {}};
  const auto prebound = plan_volume(v, nullptr);
  CHECK(prebound.phase == "Available");
  CHECK(prebound.sync_claim);
  auto c = pvc("c", "1Gi", {"ReadWriteOnce"});
  v.spec.claimRef->uid = c.metadata.uid;
  CHECK(plan_volume(v, &c).sync_claim);  // just provisioned: the claim's sync binds it
  c.spec.volumeName = "v";
  CHECK(plan_volume(v, &c).phase == "Bound");
}

TEST_CASE("a provisioned PV carries the claim's size and modes, the class's policy, and the chosen node") {
  auto c = pvc("data", "3Gi", {"ReadWriteOnce"}, "lvms");
  auto sc = storage_class("lvms", "topolvm.io", "WaitForFirstConsumer");
  sc.reclaimPolicy = "Retain";
  const auto made = provisioned_volume(c, sc, "worker-2");
  CHECK(made->metadata.name == "pvc-uid-data");
  CHECK(made->metadata.annotations.at(kProvisionedBy) == "topolvm.io");
  CHECK(made->spec.capacity.at("storage").text() == "3Gi");
  CHECK(made->spec.accessModes == std::vector<std::string>{"ReadWriteOnce"});
  CHECK(made->spec.persistentVolumeReclaimPolicy == "Retain");
  CHECK(made->spec.storageClassName == "lvms");
  REQUIRE(made->spec.claimRef);
  CHECK(made->spec.claimRef->uid == "uid-data");
  CHECK(node_affinity_allows(*made, hostname_node("worker-2")));
  CHECK_FALSE(node_affinity_allows(*made, hostname_node("worker-1")));
}
