#pragma once
// The workloads of OpenShift Virtualization in openshift-cnv, as a 4.19 install runs
// them (FIDELITY.md §10 "openshift-cnv contents"): the operators (virt-operator,
// hco-operator, cdi-operator, ssp-operator), CDI's apiserver, controller and upload
// proxy, kubemacpool, KubeVirt's virt-api, virt-controller and virt-exportproxy as
// Deployments, and virt-handler and bridge-marker as DaemonSets. Their controllers
// create the ReplicaSets and pods. Only virt-api, virt-controller and virt-handler
// drive simulated behaviour; the others are there so that `get pods -n openshift-cnv`,
// node capacity and the scheduler see what a real cluster has.
#include "sim/api/store.hpp"

namespace kvsim::sim::cluster {

void install_openshift_cnv(api::Store& store, const api::Cause& cause);

}  // namespace kvsim::sim::cluster
