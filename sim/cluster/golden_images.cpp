#include "sim/cluster/golden_images.hpp"

#include <fmt/format.h>

#include "models/cdi.hpp"
#include "models/cdi_sources.hpp"
#include "models/quantity.hpp"
#include "sim/kubevirt/storage/cdi_controller.hpp"

namespace kvsim::sim::cluster {
namespace {

const api::Cause kGoldenImages{"cluster-bootstrap", "", "golden images"};
constexpr const char* kNamespace = "openshift-virtualization-os-images";

struct GoldenImage {
  const char* os;     // the DataSource's name
  const char* image;  // what the cron imports
  const char* size;
  const char* instancetype;
  const char* preference;
};

// HCO v1.15's dataImportCronTemplates (schedule "0 */12 * * *", garbageCollect Outdated) and
// the RHEL crons of the Red Hat build; the default instance type and preference are the
// labels of the containerdisks (quay.io/containerdisks, registry.redhat.io rhel-guest-image).
const GoldenImage kImages[] = {
    {"centos-stream10", "docker://quay.io/containerdisks/centos-stream:10", "10Gi", "u1.medium", "centos.stream10"},
    {"centos-stream9", "docker://quay.io/containerdisks/centos-stream:9", "10Gi", "u1.medium", "centos.stream9"},
    {"fedora", "docker://quay.io/containerdisks/fedora:latest", "5Gi", "u1.medium", "fedora"},
    {"rhel8", "docker://registry.redhat.io/rhel8/rhel-guest-image:latest", "10Gi", "u1.medium", "rhel.8"},
    {"rhel9", "docker://registry.redhat.io/rhel9/rhel-guest-image:latest", "10Gi", "u1.medium", "rhel.9"},
};

// SSP's DataSources for templates whose source no cron imports (Windows images are the
// customer's to provide).
const char* const kUnmanaged[] = {"win2k22"};

// The 12 hex digits CDI puts after the OS name in an import's DataVolume (from the image
// digest); a fixed FNV-1a of the image here, so no random draw shifts the UIDs after it.
std::string digest_suffix(const std::string& image) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : image) h = (h ^ c) * 1099511628211ull;
  return fmt::format("{:012x}", h & 0xffffffffffffull);
}

std::shared_ptr<const models::StorageClass> default_class(const api::Store& store) {
  for (const auto& o : store.list(models::StorageClass::kind_info())) {
    auto sc = std::static_pointer_cast<const models::StorageClass>(o);
    if (sc->is_default()) return sc;
  }
  return nullptr;
}

void golden_image(api::Store& store, const GoldenImage& g, const models::StorageClass* sc) {
  const std::string os = g.os, cron_name = os + "-image-cron", pvc_name = os + "-" + digest_suffix(g.image);
  const models::Json dv_spec = {{"source", {{"registry", {{"url", g.image}}}}},
                                {"storage", {{"resources", {{"requests", {{"storage", g.size}}}}}}}};

  auto cron = std::make_shared<models::DataImportCron>();
  cron->apiVersion = "cdi.kubevirt.io/v1beta1";
  cron->kind = "DataImportCron";
  cron->metadata.name = cron_name;
  cron->metadata.namespace_ = kNamespace;
  cron->metadata.annotations = {{"cdi.kubevirt.io/storage.bind.immediate.requested", "true"}};
  cron->metadata.labels = {{"app.kubernetes.io/managed-by", "hco-operator"}, {"app.kubernetes.io/part-of", "hyperconverged-cluster"}};
  cron->spec.schedule = "0 */12 * * *";
  cron->spec.garbageCollect = "Outdated";
  cron->spec.managedDataSource = os;
  cron->spec.template_ = {{"metadata", models::Json::object()}, {"spec", dv_spec}};
  cron->status.sourceFormat = "pvc";
  cron->status.lastImportedPVC = models::SourceObjectRef{pvc_name, kNamespace};
  cron->status.conditions = {{"Progressing", "False", "NoImport", "No current import"},
                             {"UpToDate", "True", "UpToDate", "Latest import is up to date"}};
  store.create(cron, kGoldenImages);

  // The cron's last import: its DataVolume (kept, labelled with the cron) and the claim.
  auto dv = std::make_shared<models::DataVolume>();
  dv->apiVersion = "cdi.kubevirt.io/v1beta1";
  dv->kind = "DataVolume";
  dv->metadata.name = pvc_name;
  dv->metadata.namespace_ = kNamespace;
  dv->metadata.labels = {{"cdi.kubevirt.io/dataImportCron", cron_name},
                         {"instancetype.kubevirt.io/default-instancetype", g.instancetype},
                         {"instancetype.kubevirt.io/default-preference", g.preference}};
  dv->spec.source = dv_spec["source"];
  dv->spec.storage = models::PersistentVolumeClaimSpec{};
  dv->spec.storage->resources.requests["storage"] = *models::Quantity::parse(g.size);
  dv->status.phase = "Succeeded";
  dv->status.progress = "100.0%";
  dv->status.claimName = pvc_name;
  dv->status.restartCount = 0;
  dv->status.conditions = {{"Bound", "True", "Bound", "PVC " + pvc_name + " Bound"},
                           {"Running", "False", "Completed", ""},
                           {"Ready", "True", "", ""}};
  auto created = store.create(dv, kGoldenImages);
  if (created.ok()) {
    auto claim = kubevirt::storage::data_volume_claim(static_cast<const models::DataVolume&>(*created.object), sc);
    claim->metadata.labels["cdi.kubevirt.io/dataImportCron"] = cron_name;
    store.create(claim, kGoldenImages);
  }

  auto ds = std::make_shared<models::DataSource>();
  ds->apiVersion = "cdi.kubevirt.io/v1beta1";
  ds->kind = "DataSource";
  ds->metadata.name = os;
  ds->metadata.namespace_ = kNamespace;
  ds->metadata.labels = {{"cdi.kubevirt.io/dataImportCron", cron_name},
                         {"instancetype.kubevirt.io/default-instancetype", g.instancetype},
                         {"instancetype.kubevirt.io/default-preference", g.preference}};
  ds->spec.source.pvc = models::SourceObjectRef{pvc_name, kNamespace};
  store.create(ds, kGoldenImages);
}

}  // namespace

void bootstrap_golden_images(api::Store& store) {
  auto ns = std::make_shared<models::Namespace>();
  ns->apiVersion = "v1";
  ns->kind = "Namespace";
  ns->metadata.name = kNamespace;
  ns->status.phase = "Active";
  store.create(ns, kGoldenImages);
  const auto sc = default_class(store);
  for (const auto& g : kImages) golden_image(store, g, sc.get());
  for (const char* name : kUnmanaged) {
    auto ds = std::make_shared<models::DataSource>();
    ds->apiVersion = "cdi.kubevirt.io/v1beta1";
    ds->kind = "DataSource";
    ds->metadata.name = name;
    ds->metadata.namespace_ = kNamespace;
    ds->metadata.labels = {{"app.kubernetes.io/managed-by", "ssp-operator"}};
    ds->spec.source.pvc = models::SourceObjectRef{name, kNamespace};
    store.create(ds, kGoldenImages);
  }
}

}  // namespace kvsim::sim::cluster
