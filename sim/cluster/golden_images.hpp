#pragma once
// OpenShift Virtualization's golden images as a cluster that has run for days has them
// (FIDELITY.md §10 "OpenShift >= 4.14 VM creation"): in namespace
// openshift-virtualization-os-images, one DataImportCron per OS image that HCO enables by
// default (hyperconverged-cluster-operator v1.15, assets/dataImportCronTemplates: centos-stream9,
// centos-stream10, fedora; the Red Hat build adds rhel8 and rhel9), each with its last import
// done: a Succeeded DataVolume `<os>-<digest>` and its claim on the default StorageClass, and
// the DataSource `<os>` that points at that claim. The DataSources carry the
// instancetype.kubevirt.io/default-instancetype and default-preference labels the images
// bring (CDI copies them from the import). SSP also creates a DataSource for every template's
// DATA_SOURCE_NAME that no cron manages (win2k22 here): it stays Ready=False until someone
// provides the PVC.
//
// Simplification: the imported image is kept as a PVC (DataImportCron sourceFormat pvc). On
// ODF's RBD class CDI's StorageProfile asks for VolumeSnapshots instead (CDI v1.62
// pkg/storagecapabilities SourceFormatsByProvisionerKey); kvsim does not model
// VolumeSnapshots, so a clone from a golden image is a CSI clone of a PVC.
#include "sim/api/store.hpp"

namespace kvsim::sim::cluster {

void bootstrap_golden_images(api::Store& store);

}  // namespace kvsim::sim::cluster
