#include "sim/cluster/platform_services.hpp"

#include <algorithm>

#include "models/discovery.hpp"
#include "models/storage.hpp"
#include "sim/api/stateful_admission.hpp"

namespace kvsim::sim::cluster {

namespace {

const api::Cause kPlatformServices{"cluster-bootstrap", "", "platform services"};

void default_storage_class(api::Store& store) {
  auto sc = std::make_shared<models::StorageClass>();
  sc->apiVersion = "storage.k8s.io/v1";
  sc->kind = "StorageClass";
  sc->metadata.name = "ocs-storagecluster-ceph-rbd";
  sc->metadata.annotations = {{models::kDefaultClassAnnotation, "true"},
                              {"description", "Provides RWO Filesystem volumes, and RWO and RWX Block volumes"}};
  sc->provisioner = "openshift-storage.rbd.csi.ceph.com";
  sc->parameters = {{"clusterID", "openshift-storage"},
                    {"csi.storage.k8s.io/fstype", "ext4"},
                    {"imageFeatures", "layering,deep-flatten,exclusive-lock,object-map,fast-diff"},
                    {"imageFormat", "2"},
                    {"pool", "ocs-storagecluster-cephblockpool"}};
  sc->reclaimPolicy = "Delete";
  sc->volumeBindingMode = "Immediate";
  sc->allowVolumeExpansion = true;
  store.create(sc, kPlatformServices);
}

void kubernetes_service(api::Store& store) {
  auto svc = std::make_shared<models::Service>();
  svc->apiVersion = "v1";
  svc->kind = "Service";
  svc->metadata.name = "kubernetes";
  svc->metadata.namespace_ = "default";
  svc->metadata.labels = {{"component", "apiserver"}, {"provider", "kubernetes"}};
  svc->spec.clusterIP = "172.30.0.1";
  svc->spec.ports = {{"https", 443, models::IntOrString::of(6443), "TCP", std::nullopt}};
  store.create(svc, kPlatformServices);
  // The API servers keep these Endpoints themselves (no selector).
  auto ep = std::make_shared<models::Endpoints>();
  ep->apiVersion = "v1";
  ep->kind = "Endpoints";
  ep->metadata.name = "kubernetes";
  ep->metadata.namespace_ = "default";
  ep->metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", "true"}};
  models::EndpointSubset subset;
  for (const auto& o : store.list(models::Node::kind_info())) {
    const auto& node = static_cast<const models::Node&>(*o);
    if (!node.metadata.labels.contains("node-role.kubernetes.io/control-plane")) continue;
    for (const auto& a : node.status.addresses)
      if (a.type == "InternalIP") subset.addresses.push_back({a.address, {}, {}, std::nullopt});
  }
  std::sort(subset.addresses.begin(), subset.addresses.end(),
            [](const auto& a, const auto& b) { return a.ip < b.ip; });
  subset.ports = {{"https", 6443, "TCP", {}}};
  if (!subset.addresses.empty()) ep->subsets = {subset};
  store.create(ep, kPlatformServices);
}

}  // namespace

void bootstrap_platform_services(api::Store& store) {
  default_storage_class(store);
  kubernetes_service(store);
}

}  // namespace kvsim::sim::cluster
