#include "sim/cluster/golden_images.hpp"

#include <fmt/format.h>

#include <map>

#include "models/cdi.hpp"
#include "models/cdi_sources.hpp"
#include "models/quantity.hpp"
#include "models/volume_snapshot.hpp"

namespace kvsim::sim::cluster {
namespace {

const api::Cause kGoldenImages{"cluster-bootstrap", "", "golden images"};
constexpr const char* kOsImagesNamespace = "openshift-virtualization-os-images";
constexpr const char* kSnapshotClass = "ocs-storagecluster-rbdplugin-snapclass";

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

void golden_image(api::Store& store, const GoldenImage& g) {
  const std::string os = g.os, cron_name = os + "-image-cron", snapshot_name = os + "-" + digest_suffix(g.image);
  const models::Json dv_spec = {{"source", {{"registry", {{"url", g.image}}}}},
                                {"storage", {{"resources", {{"requests", {{"storage", g.size}}}}}}}};
  const std::map<std::string, std::string> image_labels = {
      {"cdi.kubevirt.io/dataImportCron", cron_name},
      {"instancetype.kubevirt.io/default-instancetype", g.instancetype},
      {"instancetype.kubevirt.io/default-preference", g.preference}};

  // The last import, kept as a snapshot of the (since deleted) import PVC of the same name.
  auto snapshot = std::make_shared<models::VolumeSnapshot>();
  snapshot->apiVersion = "snapshot.storage.k8s.io/v1";
  snapshot->kind = "VolumeSnapshot";
  snapshot->metadata.name = snapshot_name;
  snapshot->metadata.namespace_ = kOsImagesNamespace;
  snapshot->metadata.labels = image_labels;
  snapshot->metadata.labels["app"] = "containerized-data-importer";
  snapshot->metadata.labels["cdi.kubevirt.io"] = "";
  snapshot->metadata.annotations = {{"cdi.kubevirt.io/storage.import.sourceVolumeMode", "Block"}};
  snapshot->spec.source.persistentVolumeClaimName = snapshot_name;
  snapshot->spec.volumeSnapshotClassName = kSnapshotClass;
  snapshot->status.readyToUse = true;
  snapshot->status.restoreSize = *models::Quantity::parse(g.size);
  auto created = store.create(snapshot, kGoldenImages);
  std::optional<models::Timestamp> taken;
  if (created.ok()) {
    // snapshot-controller names the content after the snapshot's UID; the storage took the
    // snapshot when the object was made.
    taken = created.object->metadata.creationTimestamp;
    auto bound = std::static_pointer_cast<models::VolumeSnapshot>(created.object->clone());
    bound->status.boundVolumeSnapshotContentName = "snapcontent-" + created.object->metadata.uid;
    bound->status.creationTime = taken;
    bound->metadata.resourceVersion.clear();
    store.update(bound, kGoldenImages);
  }

  auto cron = std::make_shared<models::DataImportCron>();
  cron->apiVersion = "cdi.kubevirt.io/v1beta1";
  cron->kind = "DataImportCron";
  cron->metadata.name = cron_name;
  cron->metadata.namespace_ = kOsImagesNamespace;
  cron->metadata.annotations = {{"cdi.kubevirt.io/storage.bind.immediate.requested", "true"}};
  cron->metadata.labels = {{"app.kubernetes.io/managed-by", "hco-operator"}, {"app.kubernetes.io/part-of", "hyperconverged-cluster"}};
  cron->spec.schedule = "0 */12 * * *";
  cron->spec.garbageCollect = "Outdated";
  cron->spec.managedDataSource = os;
  cron->spec.template_ = {{"metadata", models::Json::object()}, {"spec", dv_spec}};
  cron->status.sourceFormat = "snapshot";
  cron->status.lastImportedPVC = models::SourceObjectRef{snapshot_name, kOsImagesNamespace};
  // Its last poll and import: when the snapshot was taken.
  cron->status.lastImportTimestamp = taken;
  cron->status.lastExecutionTimestamp = taken;
  cron->status.conditions = {{"Progressing", "False", "NoImport", "No current import"},
                             {"UpToDate", "True", "UpToDate", "Latest import is up to date"}};
  store.create(cron, kGoldenImages);

  auto ds = std::make_shared<models::DataSource>();
  ds->apiVersion = "cdi.kubevirt.io/v1beta1";
  ds->kind = "DataSource";
  ds->metadata.name = os;
  ds->metadata.namespace_ = kOsImagesNamespace;
  ds->metadata.labels = image_labels;
  ds->spec.source.snapshot = models::SourceObjectRef{snapshot_name, kOsImagesNamespace};
  store.create(ds, kGoldenImages);
}

// ODF's class for RBD snapshots, which the StorageProfile names.
void snapshot_class(api::Store& store) {
  auto c = std::make_shared<models::VolumeSnapshotClass>();
  c->apiVersion = "snapshot.storage.k8s.io/v1";
  c->kind = "VolumeSnapshotClass";
  c->metadata.name = kSnapshotClass;
  c->driver = "openshift-storage.rbd.csi.ceph.com";
  c->deletionPolicy = "Delete";
  c->parameters = {{"clusterID", "openshift-storage"},
                   {"csi.storage.k8s.io/snapshotter-secret-name", "rook-csi-rbd-provisioner"},
                   {"csi.storage.k8s.io/snapshotter-secret-namespace", "openshift-storage"}};
  store.create(c, kGoldenImages);
}

}  // namespace

void bootstrap_golden_images(api::Store& store) {
  auto ns = std::make_shared<models::Namespace>();
  ns->apiVersion = "v1";
  ns->kind = "Namespace";
  ns->metadata.name = kOsImagesNamespace;
  ns->status.phase = "Active";
  store.create(ns, kGoldenImages);
  snapshot_class(store);
  for (const auto& g : kImages) golden_image(store, g);
  for (const char* name : kUnmanaged) {
    auto ds = std::make_shared<models::DataSource>();
    ds->apiVersion = "cdi.kubevirt.io/v1beta1";
    ds->kind = "DataSource";
    ds->metadata.name = name;
    ds->metadata.namespace_ = kOsImagesNamespace;
    ds->metadata.labels = {{"app.kubernetes.io/managed-by", "ssp-operator"}};
    ds->spec.source.pvc = models::SourceObjectRef{name, kOsImagesNamespace};
    store.create(ds, kGoldenImages);
  }
}

}  // namespace kvsim::sim::cluster
