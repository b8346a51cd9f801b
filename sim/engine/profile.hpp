#pragma once
// Fidelity numbers as data: grace periods, intervals, transfer sizes and
// start-up times. Defaults are the upstream values of FIDELITY.md; values
// marked UNCONFIRMED there are modelling choices, overridable per scenario.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::engine {

struct TimingProfile {
  std::string name = "default";
  std::string kubernetes_version = "1.32";  // OpenShift 4.19
  // How long the cluster has run when the scenario starts: its nodes and platform objects
  // are this old and its openshift-cnv pods Running at t=0 (UNCONFIRMED: "days", as a
  // training cluster is handed out). 0: the cluster is born at t=0 and its install is seen.
  double cluster_age = 3 * 24 * 3600;
  // Node lifecycle (kube-controller-manager, kubelet).
  double node_lease_interval = 10;          // kubelet renews its Lease
  double node_monitor_grace_period = 50;    // 40 before Kubernetes 1.32 (PR #126287)
  double default_toleration_seconds = 300;  // DefaultTolerationSeconds admission
  // kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle).
  double node_monitor_period = 5;           // --node-monitor-period: how often leases are checked
  double node_eviction_period = 0.1;        // NoExecute tainting pass (scheduler.NodeEvictionPeriod)
  double node_eviction_rate = 0.1;          // --node-eviction-rate: nodes tainted per second and zone
  double secondary_node_eviction_rate = 0.01;  // --secondary-node-eviction-rate (partial disruption)
  std::int32_t large_cluster_size_threshold = 50;  // --large-cluster-size-threshold
  double unhealthy_zone_threshold = 0.55;   // --unhealthy-zone-threshold
  // Pod garbage collector (pkg/controller/podgc).
  double podgc_period = 20;                 // gcCheckPeriod
  double podgc_quarantine = 40;             // quarantineTime: a missing node must stay missing this long
  std::int32_t terminated_pod_gc_threshold = 12500;  // --terminated-pod-gc-threshold
  // Disruption controller: an evicted pod not yet deleted stops counting as disrupted after this.
  double pdb_disrupted_pod_timeout = 120;   // DeletionTimeout
  // kubectl drain.
  double drain_eviction_retry = 5;          // EvictErrorRetryDelay after a 429
  double drain_poll_interval = 1;           // waitForDelete polling interval
  double drain_max_wait = 3600;             // sim cap when --timeout is 0 (kubectl would wait forever)
  // API machinery.
  double watch_latency = 0.05;  // write -> watcher sees it (UNCONFIRMED)
  // One write request's round trip, which the client's worker waits out (UNCONFIRMED: the
  // API server's mutating-request latency on a loaded cluster, etcd commit and webhooks included).
  double api_latency = 0.04;
  // One admission webhook call the API server makes to virt-api while serving a request (UNCONFIRMED).
  double admission_webhook_latency = 0.04;
  double scheduler_latency = 0.02;  // one scheduling cycle (UNCONFIRMED)
  // virt-controller's client rate limiter (token bucket).
  double virt_controller_qps = 200;
  double virt_controller_burst = 400;
  // Its workers (virt-controller flags, application.go): the VM controller runs
  // defaultControllerThreads, the VMI controller defaultVMIControllerThreads.
  int virt_controller_vm_workers = 3;
  int virt_controller_vmi_workers = 10;
  // Images and containers (UNCONFIRMED: per-step times are not published).
  std::map<std::string, double> image_size_mb;  // by image, else default below
  double default_image_size_mb = 50;
  double launcher_image_size_mb = 380;
  // The registry's catalogue: the images it holds. Empty (the default): every image exists.
  // Listed: pulling any other image fails (ErrImagePull, "manifest unknown"); an image without
  // a tag or digest is looked up with ":latest", as the runtime does. OpenShift
  // Virtualization's own images (registry.redhat.io/container-native-virtualization/) are always there.
  std::vector<std::string> registry_images;
  double image_pull_failure = 0.5;  // the registry answers a failed pull (UNCONFIRMED)
  // kubelet's image pull back-off (flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)):
  // 10 s after the first failure, doubling, at most 300 s; the pod worker looks again every 10 s.
  double image_pull_backoff_initial = 10;
  double image_pull_backoff_max = 300;
  double container_start = 1.5;     // runtime creates and starts one container
  double container_stop = 0.5;      // SIGTERM honoured by a well-behaved process
  // A powered-on host boots RHCOS and starts kubelet (`node recover`): firmware, kernel,
  // ignition's checks, CRI-O (UNCONFIRMED: minutes on real hardware, less on a VM).
  double node_boot = 120;
  double pod_network_setup = 0.5;   // CNI ADD
  // KubeVirt.
  double handler_sync_latency = 0.2;  // virt-handler picks up a Scheduled VMI
  double domain_define = 0.5;         // virt-launcher defines the libvirt domain
  double domain_start = 1.5;          // QEMU process up, domain Running
  double guest_shutdown = 4;          // guest OS answers ACPI power-off
  double guest_agent_connect = 20;    // domain Running -> qemu-guest-agent up (AgentConnected) (UNCONFIRMED)
  // virt-launcher's access credential manager (access_credentials.go): it applies Secret
  // changes every 15 s and rewrites everything every 5 min.
  double access_credentials_check = 15;
  double access_credentials_resync = 300;
  double virt_handler_heartbeat = 60; // kubevirt.io/heartbeat every minute, jitter 1.2
  // virt-controller's node controller (pkg/virt-controller/watch/node): recheck interval and
  // the heartbeat age after which a node is unresponsive.
  double virt_node_recheck = 60;
  double virt_node_heartbeat_timeout = 300;
  // virt-controller's leader election (leaderelectionconfig defaults: lease 15 s, renew
  // deadline 10 s, retry 2 s). A standby takes over once the lease is unrenewed for the
  // lease duration, on its next retry; it is not released early (UNCONFIRMED for a
  // graceful stop: modelled as not released).
  double virt_controller_lease_duration = 15;
  double virt_controller_lease_retry = 2;
  // KubeVirt CR spec.configuration.evictionStrategy: HCO sets LiveMigrate (upstream unset = None).
  std::string cluster_eviction_strategy = "LiveMigrate";
  // Live migration: KubeVirt CR spec.configuration.migrations (upstream defaults, FIDELITY.md §7).
  int parallel_migrations_per_cluster = 5;
  int parallel_outbound_migrations_per_node = 2;   // HCO sets 1
  double migration_bandwidth_per_migration = 0;   // bytes/s; 0 = unlimited (the user guide says 64Mi)
  double migration_completion_timeout_per_gib = 150;
  double migration_progress_timeout = 150;
  double migration_unschedulable_timeout = 300;    // target pod unschedulable this long -> Failed
  // The pre-copy model (UNCONFIRMED: guest-dependent; QEMU's default max downtime is 300 ms).
  double migration_dirty_rate = 16.0 * 1024 * 1024;  // bytes/s an idle guest dirties; annotation kvsim.io/memory-dirty-rate
  double migration_max_downtime = 0.3;
  double migration_target_prepare = 1;             // target virt-handler prepares the incoming domain (UNCONFIRMED)
  double migration_monitor_poll = 0.1;             // how often the source's monitor looks at the job
  // Networking.
  std::string cluster_cidr = "10.128.0.0/14";  // OpenShift default; a /23 per node
  std::string service_cidr = "172.30.0.0/16";  // OpenShift default serviceNetwork (ClusterIPs)
  // Storage (UNCONFIRMED: CSI driver timings vary by backend; these suit a fast block driver).
  double volume_provisioning = 2;       // external provisioner creates the volume and its PV
  double volume_deletion = 1;           // provisioner deletes a released volume (reclaimPolicy Delete)
  double volume_attach = 1.5;           // CSI attacher: VolumeAttachment to attached
  double volume_detach = 1;             // CSI attacher: detach once no pod on the node uses it
  double volume_mount_poll = 0.3;       // kubelet WaitForAttachAndMount poll interval (upstream 300 ms)
  double pv_claim_binder_sync = 15;     // PV controller resync (--pvclaimbinder-sync-period)
  // CDI (UNCONFIRMED: an importer pod pulls and converts the image; minutes for a cloud image).
  double datavolume_import_start = 5;   // PVC bound -> importer pod running (ImportScheduled -> ImportInProgress)
  double datavolume_import = 30;        // ImportInProgress -> Succeeded
  // Clones (CDI's clone populator): CloneScheduled -> in progress once the target claim is
  // bound; a CSI clone (the StorageProfile's cloneStrategy csi-clone, as on ODF RBD and
  // CephFS) is a copy-on-write volume the driver makes in seconds; a host-assisted clone
  // copies the data through a pod pair. All three UNCONFIRMED (no upstream timing).
  double datavolume_clone_start = 2;    // CloneScheduled -> CSICloneInProgress / CloneInProgress
  double datavolume_csi_clone = 5;      // CSICloneInProgress -> Succeeded
  double datavolume_host_clone = 60;    // CloneInProgress -> Succeeded (host-assisted)
};

// Reads a profile document (keys as in scenarios/profiles/*.yaml) over `base`.
// Problems are located in ctx.
void read_profile(const YAML::Node& node, TimingProfile& base, models::DecodeContext& ctx);

// The profile for a Kubernetes version: only the grace period differs.
TimingProfile profile_for_version(const std::string& version);

}  // namespace kvsim::sim::engine
