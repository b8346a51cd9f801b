#pragma once
// OpenShift Virtualization's golden images as a cluster that has run for days has them
// (FIDELITY.md §10 "OpenShift >= 4.14 VM creation"), on ODF's RBD class: in namespace
// openshift-virtualization-os-images, one DataImportCron per OS image that HCO enables by
// default (hyperconverged-cluster-operator v1.15 assets/dataImportCronTemplates: centos-stream9,
// centos-stream10, fedora; the Red Hat build adds rhel8 and rhel9), each with its last import
// done. CDI's StorageProfile for openshift-storage.rbd.csi.ceph.com asks for the "snapshot"
// source format (CDI v1.62 pkg/storagecapabilities SourceFormatsByProvisionerKey), so each
// import is kept as a ready VolumeSnapshot `<os>-<digest>` of class
// ocs-storagecluster-rbdplugin-snapclass, its import DataVolume and PVC deleted once the
// snapshot was ready (dataimportcron-controller.go handleSnapshot), and the DataSource `<os>`
// points at it. The DataSources carry the instancetype.kubevirt.io/default-instancetype and
// default-preference labels the images bring. SSP also creates a DataSource for every
// template's DATA_SOURCE_NAME that no cron manages (win2k22 here), naming a PVC of its own
// name: Ready=False "PVC not found" until someone provides it.
//
// Not modelled: the crons do not run (no polling, no new import every 12 hours), and there is
// no snapshot controller or VolumeSnapshotContent.
#include "sim/api/store.hpp"

namespace kvsim::sim::cluster {

void bootstrap_golden_images(api::Store& store);

}  // namespace kvsim::sim::cluster
