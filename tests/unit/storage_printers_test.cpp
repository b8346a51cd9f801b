// `get` and `describe` for StorageClass, Endpoints, VolumeAttachment and
// Service, against kubectl's printers and describers.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "models/storage.hpp"
#include "sim/commands/printers.hpp"
#include "sim/commands/storage_printers.hpp"

using namespace kvsim;
using sim::commands::print_table;

namespace {

models::ObjectPtr load_created_at_zero(const std::string& yaml) {
  auto r = models::load_manifests(yaml, "test.yaml");
  INFO(models::join_lines(r.problems));
  REQUIRE(r.ok());
  r.objects[0]->metadata.creationTimestamp = models::Timestamp{0};
  return r.objects[0];
}

}  // namespace

TEST_CASE("get storageclass marks the default class and fills kubectl's defaults") {
  auto odf = load_created_at_zero(R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ocs-storagecluster-ceph-rbd
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: openshift-storage.rbd.csi.ceph.com
allowVolumeExpansion: true
)");
  auto lvms = load_created_at_zero(R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: lvms-vg1}
provisioner: topolvm.io
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
)");
  CHECK(print_table(models::StorageClass::kind_info(), {odf, lvms}, 3600 * 24 * 5, {}) ==
        "NAME                                    PROVISIONER                          RECLAIMPOLICY   VOLUMEBINDINGMODE      "
        "ALLOWVOLUMEEXPANSION   AGE\n"
        "ocs-storagecluster-ceph-rbd (default)   openshift-storage.rbd.csi.ceph.com   Delete          Immediate              "
        "true                   5d\n"
        "lvms-vg1                                topolvm.io                           Retain          WaitForFirstConsumer   "
        "false                  5d\n");
  const auto text = sim::commands::describe(*lvms, {}, 60);
  CHECK(text ==
        "Name:                  lvms-vg1\n"
        "IsDefaultClass:        No\n"
        "Annotations:           <none>\n"
        "Provisioner:           topolvm.io\n"
        "Parameters:            <none>\n"
        "AllowVolumeExpansion:  <unset>\n"
        "MountOptions:          <none>\n"
        "ReclaimPolicy:         Retain\n"
        "VolumeBindingMode:     WaitForFirstConsumer\n"
        "Events:                <none>\n");
}

TEST_CASE("a StorageClass's provisioner and parameters cannot change") {
  auto old_sc = load_created_at_zero("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\nprovisioner: x.io\n");
  auto next = old_sc->clone();
  static_cast<models::StorageClass&>(*next).provisioner = "y.io";
  static_cast<models::StorageClass&>(*next).parameters["k"] = "v";
  models::DecodeContext ctx;
  models::admit_update(*old_sc, *next, ctx);
  REQUIRE(ctx.problems.size() == 2);
  CHECK(ctx.problems[0].path == "parameters");
  CHECK(ctx.problems[0].message == "Forbidden: updates to parameters are forbidden.");
  CHECK(ctx.problems[1].message == "Forbidden: updates to provisioner are forbidden.");
}

TEST_CASE("get endpoints shows three addresses then counts the rest, a headless Service without ports shows bare IPs") {
  auto ep = load_created_at_zero(R"(
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: default}
subsets:
- addresses: [{ip: 10.128.2.4}, {ip: 10.128.2.5}, {ip: 10.128.4.6}, {ip: 10.128.4.7}, {ip: 10.128.6.8}]
  notReadyAddresses: [{ip: 10.128.6.9}]
  ports: [{name: http, port: 8080, protocol: TCP}]
)");
  CHECK(print_table(models::Endpoints::kind_info(), {ep}, 90, {}) ==
        "NAME   ENDPOINTS                                                     AGE\n"
        "web    10.128.2.4:8080,10.128.2.5:8080,10.128.4.6:8080 + 2 more...   90s\n");
  auto headless = load_created_at_zero(R"(
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: default}
subsets:
- addresses: [{ip: 10.128.2.4}]
)");
  CHECK(sim::commands::format_endpoints(static_cast<const models::Endpoints&>(*headless)) == "10.128.2.4");
  auto only_unready = load_created_at_zero(R"(
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: default}
subsets:
- notReadyAddresses: [{ip: 10.128.2.4}]
  ports: [{port: 5432}]
)");
  CHECK(sim::commands::format_endpoints(static_cast<const models::Endpoints&>(*only_unready)).empty());
  CHECK(print_table(models::Endpoints::kind_info(), {load_created_at_zero("apiVersion: v1\nkind: Endpoints\nmetadata: {name: x, namespace: default}\n")}, 5, {}) ==
        "NAME   ENDPOINTS   AGE\nx      <none>      5s\n");
}

TEST_CASE("get volumeattachment shows attacher, PV, node and whether it is attached") {
  auto va = load_created_at_zero(R"(
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata: {name: csi-0123}
spec:
  attacher: openshift-storage.rbd.csi.ceph.com
  nodeName: worker-1
  source: {persistentVolumeName: pvc-1}
)");
  CHECK(print_table(models::VolumeAttachment::kind_info(), {va}, 30, {}) ==
        "NAME       ATTACHER                             PV      NODE       ATTACHED   AGE\n"
        "csi-0123   openshift-storage.rbd.csi.ceph.com   pvc-1   worker-1   false      30s\n");
}

TEST_CASE("describe svc of a headless Service without Endpoints yet") {
  auto svc = load_created_at_zero(R"(
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default, labels: {app: db}}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432, targetPort: postgres}]
)");
  CHECK(sim::commands::describe(*svc, {}, 60) ==
        "Name:                     db\n"
        "Namespace:                default\n"
        "Labels:                   app=db\n"
        "Annotations:              <none>\n"
        "Selector:                 app=db\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       None\n"
        "IPs:                      None\n"
        "Port:                     pg  5432/TCP\n"
        "TargetPort:               postgres/TCP\n"
        "Endpoints:                <none>\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n");
}
