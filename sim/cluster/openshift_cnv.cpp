#include "sim/cluster/openshift_cnv.hpp"

#include <stdexcept>

#include "models/apps.hpp"
#include "sim/kubevirt/launcher_pod.hpp"

namespace kvsim::sim::cluster {
namespace {

constexpr const char* kNamespace = "openshift-cnv";
constexpr const char* kRegistry = "registry.redhat.io/container-native-virtualization/";

struct Workload {
  const char* name;        // the Deployment or DaemonSet
  const char* label;       // its pods' selector label: label=name
  const char* image;       // under kRegistry, tag v4.19
  std::int32_t replicas;   // Deployments only
  const char* cpu;         // the container's requests
  const char* memory;
};

// KubeVirt's own replicas and requests are virt-operator's (v1.5.0
// pkg/virt-operator/resource/generate/components/deployments.go, daemonsets.go). The
// other operators' requests are UNCONFIRMED (not read from their manifests): small
// values of the same order.
const Workload kDeployments[] = {
    {"virt-operator", "kubevirt.io", "virt-operator-rhel9", 2, "10m", "450Mi"},
    {"virt-api", "kubevirt.io", "virt-api-rhel9", 2, "5m", "500Mi"},
    {"virt-controller", "kubevirt.io", "virt-controller-rhel9", 2, "10m", "275Mi"},
    {"virt-exportproxy", "kubevirt.io", "virt-exportproxy-rhel9", 2, "5m", "150Mi"},
    {"hco-operator", "name", "hyperconverged-cluster-operator-rhel9", 1, "5m", "96Mi"},
    {"cdi-operator", "name", "virt-cdi-operator-rhel9", 1, "10m", "150Mi"},
    {"cdi-apiserver", "cdi.kubevirt.io", "virt-cdi-apiserver-rhel9", 1, "10m", "150Mi"},
    {"cdi-deployment", "app", "virt-cdi-controller-rhel9", 1, "10m", "150Mi"},
    {"cdi-uploadproxy", "cdi.kubevirt.io", "virt-cdi-uploadproxy-rhel9", 1, "10m", "150Mi"},
    {"ssp-operator", "name", "kubevirt-ssp-operator-rhel9", 1, "10m", "150Mi"},
    {"kubemacpool-cert-manager", "control-plane", "kubemacpool-rhel9", 1, "10m", "150Mi"},
    {"kubemacpool-mac-controller-manager", "control-plane", "kubemacpool-rhel9", 1, "100m", "300Mi"},
};

models::Container container(const Workload& w) {
  models::Container c;
  c.name = w.name;
  c.image = std::string(kRegistry) + w.image + ":v4.19";
  c.resources.requests = {{"cpu", *models::Quantity::parse(w.cpu)}, {"memory", *models::Quantity::parse(w.memory)}};
  return c;
}

void create(api::Store& store, std::shared_ptr<models::Object> obj, const api::Cause& cause) {
  auto created = store.create(std::move(obj), cause);
  if (!created.ok()) throw std::runtime_error("openshift-cnv install: " + created.error);
}

void create_deployment(api::Store& store, const Workload& w, const api::Cause& cause) {
  auto d = std::make_shared<models::Deployment>();
  d->apiVersion = "apps/v1";
  d->kind = "Deployment";
  d->metadata.name = w.name;
  d->metadata.namespace_ = kNamespace;
  d->metadata.labels = {{w.label, w.name}};
  d->spec.replicas = w.replicas;
  d->spec.selector = models::LabelSelector{{{w.label, w.name}}, {}};
  d->spec.template_.metadata.labels = d->metadata.labels;
  d->spec.template_.spec.containers = {container(w)};
  create(store, d, cause);
}

// A DaemonSet on Linux nodes; the control-plane taints keep it to the workers.
std::shared_ptr<models::DaemonSet> daemonset(const Workload& w) {
  auto ds = std::make_shared<models::DaemonSet>();
  ds->apiVersion = "apps/v1";
  ds->kind = "DaemonSet";
  ds->metadata.name = w.name;
  ds->metadata.namespace_ = kNamespace;
  ds->metadata.labels = {{w.label, w.name}};
  ds->spec.selector = models::LabelSelector{{{w.label, w.name}}, {}};
  ds->spec.template_.metadata.labels = ds->metadata.labels;
  ds->spec.template_.spec.containers = {container(w)};
  ds->spec.template_.spec.nodeSelector = {{"kubernetes.io/os", "linux"}};
  return ds;
}

}  // namespace

void install_openshift_cnv(api::Store& store, const api::Cause& cause) {
  for (const auto& w : kDeployments) create_deployment(store, w, cause);

  auto handler = daemonset({"virt-handler", "kubevirt.io", "virt-handler-rhel9", 0, "10m", "357Mi"});
  // virt-operator gives it the launcher image as an init container (node-labeller): so every
  // node running virt-handler already holds the image its launcher pods need.
  models::Container labeller;
  labeller.name = "virt-launcher";
  labeller.image = kubevirt::kLauncherImage;
  labeller.command = {"/bin/sh", "-c"};
  labeller.args = {"node-labeller.sh"};
  handler->spec.template_.spec.initContainers = {labeller};
  create(store, handler, cause);
  // cluster-network-addons-operator's bridge-marker (requests UNCONFIRMED).
  create(store, daemonset({"bridge-marker", "name", "bridge-marker-rhel9", 0, "10m", "15Mi"}), cause);
}

}  // namespace kvsim::sim::cluster
