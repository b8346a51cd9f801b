// The StatefulSet controller's decisions: identities, OrderedReady gating,
// scale-down order, rolling updates with a partition, claim retention.
#include <catch2/catch.hpp>

#include "sim/controllers/statefulset/identity.hpp"
#include "sim/controllers/statefulset/plan.hpp"

using namespace kvsim;
namespace sts = sim::controllers::statefulset;
using Type = sts::Action::Type;

namespace {

models::StatefulSet web(int replicas, const std::string& policy = "OrderedReady") {
  models::StatefulSet s;
  s.metadata.name = "web";
  s.metadata.namespace_ = "default";
  s.metadata.uid = "sts-uid";
  s.metadata.generation = 1;
  s.spec.replicas = replicas;
  s.spec.serviceName = "nginx";
  s.spec.podManagementPolicy = policy;
  s.spec.selector = models::LabelSelector{{{"app", "nginx"}}, {}};
  s.spec.template_.metadata.labels = {{"app", "nginx"}};
  models::Container c;
  c.name = "nginx";
  s.spec.template_.spec.containers = {c};
  s.spec.updateStrategy.type = "RollingUpdate";
  s.spec.updateStrategy.rollingUpdate = models::RollingUpdateStatefulSet{0, {}};
  models::PersistentVolumeClaimTemplate www;
  www.metadata.name = "www";
  www.metadata.labels = {{"tier", "storage"}};
  www.spec.accessModes = {"ReadWriteOnce"};
  s.spec.volumeClaimTemplates = {www};
  return s;
}

enum class State { Pending, Ready, NotReady, Terminating, Failed };

models::Pod ordinal_pod(int ordinal, State state, const std::string& revision = "web-new", double ready_since = 0) {
  models::Pod p;
  p.metadata.name = "web-" + std::to_string(ordinal);
  p.metadata.uid = "pod-uid-" + std::to_string(ordinal);
  p.metadata.labels = {{"app", "nginx"}, {sts::kRevisionLabel, revision}};
  p.status.phase = state == State::Pending ? "Pending" : state == State::Failed ? "Failed" : "Running";
  if (state == State::Ready || state == State::Terminating)
    p.status.conditions.push_back({"Ready", "True", "", "", models::Timestamp{ready_since}});
  if (state == State::Terminating) p.metadata.deletionTimestamp = models::Timestamp{90};
  return p;
}

sts::Observed seen(const std::vector<const models::Pod*>& pods, const std::string& current = "web-new") {
  sts::Observed o;
  o.pods = pods;
  o.current_revision = current;
  o.update_revision = "web-new";
  o.now = 100;
  return o;
}

// "create web-0", "delete web-2", "claims web-1", "owners www-web-2"
std::vector<std::string> actions(const sts::Plan& p) {
  std::vector<std::string> out;
  for (const auto& a : p.actions) {
    const char* verb = a.type == Type::CreatePod ? "create" : a.type == Type::DeletePod ? "delete"
                       : a.type == Type::CreateClaims ? "claims" : "owners";
    out.push_back(std::string(verb) + " " + a.name);
  }
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("stateful identities: names, ordinals, hostname, subdomain, labels and claim volumes") {
  const auto set = web(3);
  CHECK(sts::pod_name(set, 2) == "web-2");
  CHECK(sts::ordinal_of(set, "web-0") == 0);
  CHECK(sts::ordinal_of(set, "web-12") == 12);
  CHECK(sts::ordinal_of(set, "web-") == -1);
  CHECK(sts::ordinal_of(set, "web-a") == -1);
  CHECK(sts::ordinal_of(set, "webx-1") == -1);
  CHECK(sts::ordinal_of(set, "web-1-2") == -1);
  CHECK(sts::claim_name(set, set.spec.volumeClaimTemplates[0], 1) == "www-web-1");

  auto tmpl = set.spec.template_;
  models::PodVolume www_local, cache;
  www_local.name = "www";  // replaced by the claim
  cache.name = "cache";
  tmpl.spec.volumes = {www_local, cache};
  const auto p = sts::new_stateful_pod(set, tmpl, 1, "web-6c5d8b7f9d");
  CHECK(p->metadata.name == "web-1");
  CHECK(p->metadata.generateName.empty());
  CHECK(p->metadata.labels == models::Labels{{"app", "nginx"},
                                             {"apps.kubernetes.io/pod-index", "1"},
                                             {"controller-revision-hash", "web-6c5d8b7f9d"},
                                             {"statefulset.kubernetes.io/pod-name", "web-1"}});
  CHECK(p->spec.hostname == "web-1");
  CHECK(p->spec.subdomain == "nginx");
  REQUIRE(p->spec.volumes.size() == 2);
  CHECK(p->spec.volumes[0].name == "www");
  REQUIRE(p->spec.volumes[0].persistentVolumeClaim);
  CHECK(p->spec.volumes[0].persistentVolumeClaim->claimName == "www-web-1");
  CHECK(p->spec.volumes[1].name == "cache");
  REQUIRE(p->metadata.ownerReferences.size() == 1);
  CHECK(p->metadata.ownerReferences[0].kind == "StatefulSet");
  CHECK(p->metadata.ownerReferences[0].controller == true);

  const auto claim = sts::new_claim(set, set.spec.volumeClaimTemplates[0], 1);
  CHECK(claim->metadata.name == "www-web-1");
  CHECK(claim->metadata.namespace_ == "default");
  CHECK(claim->metadata.labels == models::Labels{{"app", "nginx"}, {"tier", "storage"}});
  CHECK(claim->metadata.ownerReferences.empty());  // Retain: the claim outlives the set
  CHECK(claim->spec.accessModes == Strings{"ReadWriteOnce"});
}

TEST_CASE("OrderedReady creates one pod at a time, each after its predecessor is Running, Ready and available") {
  auto set = web(3);
  set.spec.minReadySeconds = 10;
  const auto p0_pending = ordinal_pod(0, State::Pending), p0_young = ordinal_pod(0, State::Ready, "web-new", 95),
             p0 = ordinal_pod(0, State::Ready, "web-new", 50), p1 = ordinal_pod(1, State::Ready, "web-new", 50),
             p1_going = ordinal_pod(1, State::Terminating), p1_not_ready = ordinal_pod(1, State::NotReady);
  struct Row {
    const char* step;
    std::vector<const models::Pod*> pods;
    Strings actions;
    std::string waiting;
  };
  const std::vector<Row> rows = {
      {"nothing yet: web-0", {}, {"create web-0"}, "web-0 to be Running and Ready"},
      {"web-0 pending: wait", {&p0_pending}, {"claims web-0"}, "web-0 to be Running and Ready"},
      {"web-0 ready 5 s of 10: wait", {&p0_young}, {}, "web-0 to be available"},
      {"web-0 available: web-1", {&p0}, {"create web-1"}, "web-1 to be Running and Ready"},
      {"web-1 not ready: wait, web-2 not created", {&p0, &p1_not_ready}, {}, "web-1 to be Running and Ready"},
      {"web-1 terminating: wait", {&p0, &p1_going}, {}, "web-1 to terminate"},
      {"web-1 available: web-2", {&p0, &p1}, {"create web-2"}, "web-2 to be Running and Ready"},
      {"web-0 deleted: recreated first", {&p1}, {"create web-0"}, "web-0 to be Running and Ready"},
  };
  for (const auto& r : rows) {
    INFO(r.step);
    const auto p = sts::plan(set, seen(r.pods));
    CHECK(actions(p) == r.actions);
    CHECK(p.waiting == r.waiting);
  }
  const auto young = sts::plan(set, seen({&p0_young}));
  REQUIRE(young.requeue_after);
  CHECK(*young.requeue_after == Approx(5));
}

TEST_CASE("Parallel creates and deletes without waiting") {
  const auto set = web(3, "Parallel");
  CHECK(actions(sts::plan(set, seen({}))) == Strings{"create web-0", "create web-1", "create web-2"});
  const auto p0 = ordinal_pod(0, State::NotReady);
  CHECK(actions(sts::plan(set, seen({&p0}))) == Strings{"create web-1", "create web-2"});
  const auto one = web(1, "Parallel");
  const auto p1 = ordinal_pod(1, State::Ready), p2 = ordinal_pod(2, State::NotReady);
  CHECK(actions(sts::plan(one, seen({&p0, &p1, &p2}))) == Strings{"delete web-2", "delete web-1"});
}

TEST_CASE("scale-down removes the highest ordinal first, one at a time, while the others are healthy") {
  const auto set = web(1);
  const auto p0 = ordinal_pod(0, State::Ready), p1 = ordinal_pod(1, State::Ready), p2 = ordinal_pod(2, State::Ready),
             p2_going = ordinal_pod(2, State::Terminating), p0_not_ready = ordinal_pod(0, State::NotReady),
             p1_not_ready = ordinal_pod(1, State::NotReady);
  struct Row {
    const char* step;
    std::vector<const models::Pod*> pods;
    Strings actions;
    std::string waiting;
  };
  const std::vector<Row> rows = {
      {"3 healthy, want 1: web-2 goes", {&p0, &p1, &p2}, {"delete web-2"}, "web-2 to terminate before scaling down further"},
      {"web-2 terminating: web-1 waits", {&p0, &p1, &p2_going}, {}, "web-2 to terminate before scaling down further"},
      {"web-2 gone: web-1 goes", {&p0, &p1}, {"delete web-1"}, "web-1 to terminate before scaling down further"},
      {"web-0 not ready: nothing goes", {&p0_not_ready, &p1}, {}, "web-0 to be Running and Ready"},
      {"the unhealthy condemned pod itself may go", {&p0, &p1_not_ready}, {"delete web-1"}, "web-1 to terminate before scaling down further"},
  };
  for (const auto& r : rows) {
    INFO(r.step);
    const auto p = sts::plan(set, seen(r.pods));
    CHECK(actions(p) == r.actions);
    CHECK(p.waiting == r.waiting);
  }
}

TEST_CASE("a rolling update goes from the highest ordinal down, one healthy pod at a time, down to the partition") {
  auto set = web(3);
  const auto o0 = ordinal_pod(0, State::Ready, "web-old"), o1 = ordinal_pod(1, State::Ready, "web-old"),
             o2 = ordinal_pod(2, State::Ready, "web-old"), n1 = ordinal_pod(1, State::Ready),
             n2 = ordinal_pod(2, State::Ready), n2_starting = ordinal_pod(2, State::NotReady),
             o2_going = ordinal_pod(2, State::Terminating, "web-old");
  struct Row {
    const char* step;
    std::vector<const models::Pod*> pods;
    Strings actions;
    int current, updated;
  };
  const std::vector<Row> rows = {
      {"all old: web-2 goes", {&o0, &o1, &o2}, {"delete web-2"}, 2, 0},
      {"web-2 terminating: wait", {&o0, &o1, &o2_going}, {}, 2, 0},
      {"web-2 gone: recreated at the new revision", {&o0, &o1}, {"create web-2"}, 2, 0},
      {"new web-2 not ready: wait", {&o0, &o1, &n2_starting}, {}, 2, 1},
      {"new web-2 ready: web-1 goes", {&o0, &o1, &n2}, {"delete web-1"}, 1, 1},
      {"web-1 and web-2 new: web-0 goes", {&o0, &n1, &n2}, {"delete web-0"}, 0, 2},
  };
  for (const auto& r : rows) {
    INFO(r.step);
    const auto p = sts::plan(set, seen(r.pods, "web-old"));
    CHECK(actions(p) == r.actions);
    CHECK(p.status.currentReplicas == r.current);
    CHECK(p.status.updatedReplicas == r.updated);
  }
  const auto recreate = sts::plan(set, seen({&o0, &o1}, "web-old"));
  REQUIRE(recreate.actions.size() == 1);
  CHECK_FALSE(recreate.actions[0].current_revision);

  SECTION("partition 2: web-2 is updated, web-0 and web-1 keep the old revision, even when recreated") {
    set.spec.updateStrategy.rollingUpdate->partition = 2;
    CHECK(actions(sts::plan(set, seen({&o0, &o1, &o2}, "web-old"))) == Strings{"delete web-2"});
    CHECK(actions(sts::plan(set, seen({&o0, &o1, &n2}, "web-old"))).empty());
    const auto p = sts::plan(set, seen({&o0, &n2}, "web-old"));
    REQUIRE(p.actions.size() == 1);
    CHECK(p.actions[0].name == "web-1");
    CHECK(p.actions[0].current_revision);
  }
  SECTION("OnDelete: nothing is replaced; a deleted pod comes back at the new revision") {
    set.spec.updateStrategy = {"OnDelete", std::nullopt};
    CHECK(actions(sts::plan(set, seen({&o0, &o1, &o2}, "web-old"))).empty());
    const auto p = sts::plan(set, seen({&o0, &o1}, "web-old"));
    REQUIRE(p.actions.size() == 1);
    CHECK_FALSE(p.actions[0].current_revision);
  }
}

TEST_CASE("the update revision becomes current once every replica is updated and ready") {
  const auto set = web(2);
  const auto n0 = ordinal_pod(0, State::Ready), n1 = ordinal_pod(1, State::Ready),
             o1 = ordinal_pod(1, State::Ready, "web-old");
  auto p = sts::plan(set, seen({&n0, &n1}, "web-old"));
  sts::complete_rolling_update(set, p.status);
  CHECK(p.status.currentRevision == "web-new");
  CHECK(p.status.currentReplicas == 2);
  p = sts::plan(set, seen({&n0, &o1}, "web-old"));
  sts::complete_rolling_update(set, p.status);
  CHECK(p.status.currentRevision == "web-old");
  CHECK(p.status.updateRevision == "web-new");
  CHECK(p.status.replicas == 2);
  CHECK(p.status.readyReplicas == 2);
  CHECK(p.status.availableReplicas == 2);
}

TEST_CASE("a failed pod is deleted and recreated, and a claim still being deleted holds its pod back") {
  const auto set = web(2);
  const auto p0 = ordinal_pod(0, State::Ready), failed = ordinal_pod(1, State::Failed);
  auto p = sts::plan(set, seen({&p0, &failed}));
  CHECK(actions(p) == Strings{"delete web-1"});
  models::PersistentVolumeClaim going;
  going.metadata.name = "www-web-1";
  going.metadata.deletionTimestamp = models::Timestamp{95};
  auto s = seen({&p0});
  s.claims["www-web-1"] = &going;
  p = sts::plan(set, s);
  CHECK(actions(p).empty());
  CHECK(p.waiting == "claim www-web-1 to finish deleting");
}

TEST_CASE("claim ownerReferences follow persistentVolumeClaimRetentionPolicy") {
  struct Row {
    const char* when_deleted;
    const char* when_scaled;
    bool condemned;
    Strings owners;  // kinds
  };
  const std::vector<Row> rows = {
      {"Retain", "Retain", false, {}},          {"Retain", "Retain", true, {}},
      {"Delete", "Retain", false, {"StatefulSet"}}, {"Delete", "Retain", true, {"StatefulSet"}},
      {"Retain", "Delete", false, {}},          {"Retain", "Delete", true, {"Pod"}},
      {"Delete", "Delete", false, {"StatefulSet"}}, {"Delete", "Delete", true, {"Pod"}},
  };
  const auto p2 = ordinal_pod(2, State::Ready);
  for (const auto& r : rows) {
    INFO(r.when_deleted << "/" << r.when_scaled << (r.condemned ? " condemned" : ""));
    auto set = web(2);
    set.spec.persistentVolumeClaimRetentionPolicy = models::PVCRetentionPolicy{r.when_deleted, r.when_scaled};
    auto claim = *sts::new_claim(set, set.spec.volumeClaimTemplates[0], 2);
    // A reference of someone else's survives; our own are rewritten.
    claim.metadata.ownerReferences.push_back({"v1", "ConfigMap", "keep", "cm-uid", false, false});
    Strings kinds;
    for (const auto& ref : sts::desired_claim_owners(claim, set, &p2, r.condemned)) {
      if (ref.kind == "ConfigMap") continue;
      kinds.push_back(ref.kind);
      CHECK(ref.controller == true);
      CHECK(ref.uid == (ref.kind == "Pod" ? "pod-uid-2" : "sts-uid"));
    }
    CHECK(kinds == r.owners);
  }
}

TEST_CASE("with whenScaled Delete the condemned pod owns its claims before it is deleted") {
  auto set = web(1);
  set.spec.persistentVolumeClaimRetentionPolicy = models::PVCRetentionPolicy{"Retain", "Delete"};
  const auto p0 = ordinal_pod(0, State::Ready), p1 = ordinal_pod(1, State::Ready);
  const auto c0 = sts::new_claim(set, set.spec.volumeClaimTemplates[0], 0);
  const auto c1 = sts::new_claim(set, set.spec.volumeClaimTemplates[0], 1);
  auto s = seen({&p0, &p1});
  s.claims = {{"www-web-0", c0.get()}, {"www-web-1", c1.get()}};
  const auto p = sts::plan(set, s);
  CHECK(actions(p) == Strings{"owners www-web-1", "delete web-1"});
  REQUIRE(p.actions[0].owners.size() == 1);
  CHECK(p.actions[0].owners[0].name == "web-1");
}
