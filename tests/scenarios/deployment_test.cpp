// Deployments end to end: Recreate, progress deadline, pause, scale, bad
// input, and the KubeVirt control plane's own Deployments.
#include <fstream>
#include <unistd.h>

#include "models/apps.hpp"
#include "small_cluster.hpp"
#include "sim/build_paths.hpp"

#include <sstream>

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;

namespace {

std::string web(const std::string& extra_spec = "", const std::string& image = "nginx:1.14.2",
                const std::string& pod_spec_extra = "") {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n" + extra_spec +
         "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n" +
         pod_spec_extra + "      containers: [{name: nginx, image: \"" + image + "\"}]\n";
}

std::string temp_file(const std::string& text) {
  char path[] = "/tmp/kvsim-deploy-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

std::shared_ptr<const models::Deployment> deployment(sim::cluster::Cluster& c, const std::string& name = "web",
                                                     const std::string& ns = "default") {
  return c.store().get<models::Deployment>(ns, name);
}

bool rolled_out(sim::cluster::Cluster& c, int replicas = 3) {
  auto d = deployment(c);
  return d && d->status.observedGeneration == d->metadata.generation && d->status.updatedReplicas == replicas &&
         d->status.replicas == replicas && d->status.availableReplicas == replicas;
}

std::vector<std::string> event_messages(sim::cluster::Cluster& c, const models::Object& o) {
  std::vector<std::string> out;
  for (const auto& e : c.store().events_for(o.metadata.uid)) out.push_back(e->message);
  return out;
}

std::vector<std::shared_ptr<const models::ReplicaSet>> replicasets(sim::cluster::Cluster& c,
                                                                   const std::string& ns = "default") {
  std::vector<std::shared_ptr<const models::ReplicaSet>> out;
  for (const auto& o : c.store().list(models::ReplicaSet::kind_info(), ns))
    out.push_back(std::static_pointer_cast<const models::ReplicaSet>(o));
  return out;
}

}  // namespace

TEST_CASE("Recreate stops every old pod before the first new one exists") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web("  strategy: {type: Recreate}\n"));
  REQUIRE(run_until_true(cluster, 60, [&] { return rolled_out(cluster); }) > 0);
  cluster.run_until(20);
  // Every pod object of the Deployment, whatever its state, by image.
  std::map<std::string, std::string> image_of;
  bool overlap = false;
  double last_old_gone = -1, first_new = -1;
  const int id = cluster.store().add_change_listener([&](const sim::api::WatchEvent& e) {
    if (e.object->kind != "Pod" || !e.object->metadata.labels.count("app")) return;
    const auto& pod = static_cast<const models::Pod&>(*e.object);
    const auto image = pod.spec.containers.at(0).image;
    if (e.type == sim::api::EventType::Deleted) image_of.erase(pod.metadata.name);
    else image_of[pod.metadata.name] = image;
    int old_pods = 0, new_pods = 0;
    for (const auto& [name, img] : image_of) (img == "nginx:1.14.2" ? old_pods : new_pods)++;
    overlap = overlap || (old_pods > 0 && new_pods > 0);
    if (e.type == sim::api::EventType::Deleted && image == "nginx:1.14.2" && old_pods == 0) last_old_gone = cluster.now();
    if (e.type == sim::api::EventType::Added && image != "nginx:1.14.2" && first_new < 0) first_new = cluster.now();
  });
  for (const auto& p : cluster.store().list(models::Pod::kind_info(), "default"))
    if (p->metadata.labels.count("app")) image_of[p->metadata.name] = "nginx:1.14.2";
  CHECK(run_ok(ex, "set image deployment/web nginx=nginx:1.16.1") == "deployment.apps/web image updated\n");
  CHECK(run_ok(ex, "rollout status deployment/web").find("deployment \"web\" successfully rolled out") !=
        std::string::npos);
  cluster.store().remove_change_listener(id);
  CHECK_FALSE(overlap);
  // The old pods stop gracefully (SIGTERM, then gone); only then does the new ReplicaSet
  // appear (one watch delivery) and create its pods (another).
  CHECK(last_old_gone > 20.1);
  CHECK(first_new == Approx(last_old_gone + 0.10));
  auto d = deployment(cluster);
  std::string old_rs, new_rs;
  for (const auto& rs : replicasets(cluster))
    (rs->spec.template_.spec.containers[0].image == "nginx:1.14.2" ? old_rs : new_rs) = rs->metadata.name;
  CHECK(event_messages(cluster, *d) == std::vector<std::string>{"Scaled up replica set " + old_rs + " from 0 to 3",
                                                                "Scaled down replica set " + old_rs + " from 3 to 0",
                                                                "Scaled up replica set " + new_rs + " from 0 to 3"});
  cluster.shutdown();
}

TEST_CASE("a rollout that cannot progress fails rollout status at its progress deadline") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  // No node has the label: the pods stay Pending.
  apply_yaml(cluster, web("  progressDeadlineSeconds: 30\n", "nginx:1.14.2", "      nodeSelector: {disk: nvme}\n"));
  auto out = ex.run("rollout status deployment/web");
  CHECK(out.output == "Waiting for deployment spec update to be observed...\n"
                      "Waiting for deployment \"web\" rollout to finish: 0 out of 3 new replicas have been updated...\n"
                      "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available...\n");
  CHECK(out.error == "error: deployment \"web\" exceeded its progress deadline");
  // The last progress (the pods created, counted at 0.2 s) plus the 30 s deadline has passed; the
  // controller looked again 1 s after the deadline it computed from an earlier sync (0.05 s).
  WARN("deadline reported at " << cluster.now() << "s");
  CHECK(cluster.now() > 30.2);
  CHECK(cluster.now() == Approx(31.05));
  auto d = deployment(cluster);
  const auto* c = models::find_condition(d->status.conditions, "Progressing");
  REQUIRE(c);
  CHECK(c->status == "False");
  CHECK(c->reason == "ProgressDeadlineExceeded");
  CHECK(c->message == "ReplicaSet \"" + replicasets(cluster).at(0)->metadata.name + "\" has timed out progressing.");
  const auto* a = models::find_condition(d->status.conditions, "Available");
  REQUIRE(a);
  CHECK(a->reason == "MinimumReplicasUnavailable");
  cluster.shutdown();
}

TEST_CASE("a paused Deployment keeps its pods through a template change until resumed") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web());
  REQUIRE(run_until_true(cluster, 60, [&] { return rolled_out(cluster); }) > 0);
  CHECK(run_ok(ex, "rollout pause deployment/web") == "deployment.apps/web paused\n");
  CHECK(ex.run("rollout pause deployment/web").error == "error: deployments.apps \"web\" is already paused");
  run_ok(ex, "set image deployment/web nginx=nginx:1.16.1");
  const double t = cluster.now();
  auto out = ex.run("rollout status deployment/web --timeout=10s");
  CHECK(out.error == "error: timed out waiting for the condition");
  CHECK(cluster.now() == Approx(t + 10));
  CHECK(replicasets(cluster).size() == 1);
  CHECK(ex.run("rollout undo deployment/web").error ==
        "error: no rollout history found for deployment \"web\"");
  CHECK(run_ok(ex, "rollout resume deployment/web") == "deployment.apps/web resumed\n");
  CHECK(run_ok(ex, "rollout status deployment/web").find("successfully rolled out") != std::string::npos);
  CHECK(replicasets(cluster).size() == 2);
  CHECK(deployment(cluster)->metadata.annotations.at("deployment.kubernetes.io/revision") == "2");
  cluster.shutdown();
}

TEST_CASE("scale resizes without a new revision, for Deployments, ReplicaSets and StatefulSets alike") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web());
  REQUIRE(run_until_true(cluster, 60, [&] { return rolled_out(cluster); }) > 0);
  const double t = cluster.now();
  CHECK(run_ok(ex, "scale deployment/web --replicas=5") == "deployment.apps/web scaled\n");
  const double five = run_until_true(cluster, t + 30, [&] { return rolled_out(cluster, 5); });
  REQUIRE(five > 0);
  WARN("5 available " << five - t << "s after scale");
  const auto rss = replicasets(cluster);
  REQUIRE(rss.size() == 1);
  CHECK(rss[0]->spec.replicas == 5);
  CHECK(rss[0]->metadata.annotations.at("deployment.kubernetes.io/desired-replicas") == "5");
  CHECK(deployment(cluster)->metadata.annotations.at("deployment.kubernetes.io/revision") == "1");
  CHECK(event_messages(cluster, *deployment(cluster)).back() ==
        "Scaled up replica set " + rss[0]->metadata.name + " from 3 to 5");
  CHECK(ex.run("scale deployment/web --replicas=-1").error ==
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  CHECK(ex.run("scale deployment/web").error == "error: required flag(s) \"replicas\" not set");
  CHECK(ex.run("scale deployment/nope --replicas=1").error ==
        "Error from server (NotFound): deployments.apps \"nope\" not found");
  apply_yaml(cluster, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n"
                      "  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n"
                      "    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: postgres}]\n");
  CHECK(run_ok(ex, "scale sts/db --replicas=2") == "statefulset.apps/db scaled\n");
  CHECK(cluster.store().get<models::StatefulSet>("default", "db")->spec.replicas == 2);
  cluster.shutdown();
}

TEST_CASE("bad Deployments are refused with the API server's message and field path, and nothing changes") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto good = temp_file(web());
  run_ok(ex, "apply -f " + good);
  std::remove(good.c_str());
  cluster.run_until(10);
  const auto before = deployment(cluster);
  struct Row {
    std::string yaml, error;
  };
  const std::vector<Row> rows = {
      {web().replace(web().find("labels: {app: web}"), 18, "labels: {app: other}"),
       "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match "
       "template `labels`"},
      {web("").replace(web().find("replicas: 3"), 11, "replicas: -1"),
       "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
      {web("  strategy: {type: BlueGreen}\n"), "spec.strategy.type: Unsupported value: \"BlueGreen\""},
      {web("  strategy: {rollingUpdate: {maxUnavailable: 110%}}\n"),
       "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"},
      {web("  strategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}\n"),
       "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"},
      {web("  minReadySeconds: 60\n  progressDeadlineSeconds: 60\n"),
       "spec.progressDeadlineSeconds: Invalid value: 60: must be greater than minReadySeconds"},
      {web("  revisionHistoryLimit: -1\n"), "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"},
      {"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n"
       "  selector: {matchLabels: {app: web, tier: x}}\n  template:\n    metadata: {labels: {app: web, tier: x}}\n"
       "    spec:\n      containers: [{name: nginx, image: \"nginx:1.14.2\"}]\n",
       "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"x\"}, "
       "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"},
  };
  for (const auto& row : rows) {
    const auto path = temp_file(row.yaml);
    const auto out = ex.run("apply -f " + path);
    std::remove(path.c_str());
    INFO(row.yaml);
    CHECK(out.error.find(row.error) != std::string::npos);
    CHECK(out.output.empty());
  }
  CHECK(ex.run("set image deployment/web php=php:8").error == "error: unable to find container named \"php\"");
  const auto after = deployment(cluster);
  CHECK(after->metadata.generation == before->metadata.generation);
  CHECK(after->metadata.resourceVersion == before->metadata.resourceVersion);
  CHECK(replicasets(cluster).size() == 1);
  cluster.shutdown();
}

TEST_CASE("virt-api and virt-controller run as Deployments of 2 replicas in openshift-cnv") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  cluster.run_until(30);
  // Among the install's Deployments (the cluster has run clusterAge, 3 days), both are available.
  std::vector<std::string> rows;
  std::istringstream table(run_ok(ex, "get deployments -n openshift-cnv"));
  for (std::string line; std::getline(table, line);) {
    std::istringstream words(line);
    std::string row, word;
    while (words >> word) row += (row.empty() ? "" : " ") + word;
    if (row.rfind("virt-api ", 0) == 0 || row.rfind("virt-controller ", 0) == 0) rows.push_back(row);
  }
  CHECK(rows == std::vector<std::string>{"virt-api 2/2 2 2 3d", "virt-controller 2/2 2 2 3d"});
  for (const char* name : {"virt-api", "virt-controller"}) {
    auto d = deployment(cluster, name, "openshift-cnv");
    REQUIRE(d);
    int pods = 0;
    for (const auto& rs : replicasets(cluster, "openshift-cnv")) {
      if (rs->metadata.controller_ref()->name != name) continue;
      CHECK(rs->metadata.name.rfind(std::string(name) + "-", 0) == 0);
      for (const auto& p : cluster.store().owned_by(rs->metadata.uid)) {
        CHECK(p->metadata.labels.at("kubevirt.io") == name);
        CHECK(p->metadata.labels.at("pod-template-hash") == rs->metadata.labels.at("pod-template-hash"));
        ++pods;
      }
    }
    CHECK(pods == 2);
  }
  cluster.shutdown();
}

TEST_CASE("rollout restart replaces every pod through a new revision") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web());
  REQUIRE(run_until_true(cluster, 60, [&] { return rolled_out(cluster); }) > 0);
  cluster.run_until(20);
  CHECK(run_ok(ex, "rollout restart deployment/web") == "deployment.apps/web restarted\n");
  CHECK(deployment(cluster)->spec.template_.metadata.annotations.at("kubectl.kubernetes.io/restartedAt") ==
        "2026-01-01T00:00:20Z");
  run_ok(ex, "rollout status deployment/web");
  CHECK(replicasets(cluster).size() == 2);
  CHECK(run_ok(ex, "rollout history deployment/web") ==
        "deployment.apps/web\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
  cluster.shutdown();
}

TEST_CASE("the rolling-update scenario rolls a new image out at 30 s and back at 60 s") {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/rolling-update.yaml", problems);
  REQUIRE(problems.empty());
  sim::cluster::Cluster cluster(s->cluster);
  cluster.run_until(0);
  auto result = sim::scenario::run_scenario(*s, cluster);
  CHECK(result.command_errors.empty());
  REQUIRE(result.results.size() == 4);
  for (const auto& r : result.results) {
    INFO(r.expectation->check.name << " found " << r.found);
    CHECK(r.held);
  }
  // One pod at a time: three pulls and starts after the update, each waiting for the last to be Ready.
  WARN("rolled out at " << result.results[2].at << "s, rolled back at " << result.results[3].at << "s");
  CHECK(result.results[2].at > 35);
  CHECK(result.results[2].at < 45);
  // Rolling back is as gradual, but the old image is on every node already: no pulls.
  CHECK(result.results[3].at > 62);
  CHECK(result.results[3].at - 60 < result.results[2].at - 30);
  auto d = cluster.store().get<models::Deployment>("default", "web");
  CHECK(d->metadata.annotations.at("deployment.kubernetes.io/revision") == "3");
  CHECK(d->spec.template_.spec.containers.at(0).image == "nginx:1.14.2");
  cluster.shutdown();
}

TEST_CASE("apply merges with what others wrote: scaled replicas and the revision annotation survive a re-apply") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const std::string without_replicas = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                                       "  selector: {matchLabels: {app: web}}\n  template:\n"
                                       "    metadata: {labels: {app: web}}\n    spec:\n"
                                       "      containers: [{name: nginx, image: \"nginx:1.14.2\"}]\n";
  const std::string file = temp_file(without_replicas);
  CHECK(run_ok(ex, "apply -f " + file) == "deployment.apps/web created\n");
  cluster.run_until(10);
  run_ok(ex, "scale deployment/web --replicas=3");
  cluster.run_until(20);
  REQUIRE(rolled_out(cluster));
  CHECK(run_ok(ex, "apply -f " + file) == "deployment.apps/web unchanged\n");
  CHECK(deployment(cluster)->spec.replicas == 3);
  CHECK(deployment(cluster)->metadata.annotations.at("deployment.kubernetes.io/revision") == "1");

  std::string new_image = without_replicas;
  new_image.replace(new_image.find("1.14.2"), 6, "1.16.1");
  CHECK(run_ok(ex, "apply -f " + temp_file(new_image)) == "deployment.apps/web configured\n");
  CHECK(deployment(cluster)->spec.replicas == 3);  // the file never named replicas: `scale` keeps them
  CHECK(deployment(cluster)->metadata.generation == 3);
  REQUIRE(run_until_true(cluster, 60, [&] { return rolled_out(cluster); }) > 20);
  CHECK(deployment(cluster)->metadata.annotations.at("deployment.kubernetes.io/revision") == "2");
  CHECK(deployment(cluster)->metadata.annotations.at("kubectl.kubernetes.io/last-applied-configuration").find("1.16.1") !=
        std::string::npos);

  CHECK(run_ok(ex, "apply -f " + temp_file(web())) == "deployment.apps/web configured\n");  // replicas: 3 named now
  std::string two = web();
  two.replace(two.find("replicas: 3"), 11, "replicas: 2");
  run_ok(ex, "apply -f " + temp_file(two));
  CHECK(deployment(cluster)->spec.replicas == 2);
  cluster.shutdown();
}
