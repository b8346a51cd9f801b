#include "sim/engine/profile.hpp"

#include <fmt/format.h>

#include "models/duration.hpp"
#include "models/quantity.hpp"

namespace kvsim::sim::engine {
namespace {

struct ProfileFields {
  TimingProfile& p;
  models::DecodeContext& ctx;
  const YAML::Node& node;

  void seconds(const char* key, double& out) {
    auto n = node[key];
    if (!n) return;
    if (!n.IsScalar()) {
      ctx.fail(models::location_of(n), key, "expected a duration such as 50s or 1.5s");
      return;
    }
    auto d = models::parse_duration(n.Scalar());
    if (!d) {
      double plain = 0;
      models::DecodeContext scratch;
      models::decode_scalar(n, key, scratch, plain);
      if (!scratch.problems.empty()) {
        ctx.fail(models::location_of(n), key, fmt::format("\"{}\" is not a duration (e.g. 50s, 1.5s, 2m)", n.Scalar()));
        return;
      }
      d = plain;
    }
    out = *d;
  }
  template <class T>
  void number(const char* key, T& out) {
    if (auto n = node[key]) models::decode_scalar(n, key, ctx, out);
  }
  // A quantity such as 64Mi (bytes, or bytes per second).
  void quantity(const char* key, double& out) {
    auto n = node[key];
    if (!n) return;
    auto q = n.IsScalar() ? models::Quantity::parse(n.Scalar()) : std::nullopt;
    if (!q) {
      ctx.fail(models::location_of(n), key, "expected a quantity such as 64Mi");
      return;
    }
    out = static_cast<double>(q->units_ceil());
  }
  void text(const char* key, std::string& out) {
    if (auto n = node[key]) models::decode_scalar(n, key, ctx, out);
  }
};

const char* const kKnown[] = {"name", "kubernetesVersion", "clusterAge", "nodeLeaseInterval", "nodeMonitorGracePeriod",
                              "defaultTolerationSeconds", "watchLatency", "apiLatency", "admissionWebhookLatency", "schedulerLatency",
                              "virtControllerQPS", "virtControllerBurst", "virtControllerVMWorkers",
                              "virtControllerVMIWorkers", "imageSizeMB", "defaultImageSizeMB", "registryImages",
                              "imagePullFailure", "imagePullBackOffInitial", "imagePullBackOffMax",
                              "launcherImageSizeMB", "containerStart", "containerStop", "podNetworkSetup",
                              "handlerSyncLatency", "domainDefine", "domainStart", "guestShutdown",
                              "guestAgentConnect", "accessCredentialsCheck", "accessCredentialsResync",
                              "virtHandlerHeartbeat", "clusterCIDR",
                              "serviceCIDR", "volumeProvisioning", "volumeDeletion", "volumeAttach", "volumeDetach",
                              "volumeMountPoll", "pvClaimBinderSyncPeriod", "nodeMonitorPeriod", "nodeEvictionPeriod",
                              "nodeEvictionRate", "secondaryNodeEvictionRate", "largeClusterSizeThreshold",
                              "unhealthyZoneThreshold", "podGCPeriod", "podGCQuarantine", "terminatedPodGCThreshold",
                              "pdbDisruptedPodTimeout", "drainEvictionRetry", "drainPollInterval", "drainMaxWait",
                              "virtNodeRecheck", "virtNodeHeartbeatTimeout", "virtControllerLeaseDuration",
                              "virtControllerLeaseRetry", "clusterEvictionStrategy",
                              "dataVolumeImportStart", "dataVolumeImport",
                              "parallelMigrationsPerCluster", "parallelOutboundMigrationsPerNode",
                              "bandwidthPerMigration", "completionTimeoutPerGiB", "progressTimeout",
                              "migrationUnschedulableTimeout", "migrationDirtyRate", "migrationMaxDowntime",
                              "migrationTargetPrepare"};

}  // namespace

TimingProfile profile_for_version(const std::string& version) {
  TimingProfile p;
  p.kubernetes_version = version;
  int major = 1, minor = 32;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) == 2 && (major == 1 && minor < 32))
    p.node_monitor_grace_period = 40;
  return p;
}

void read_profile(const YAML::Node& node, TimingProfile& p, models::DecodeContext& ctx) {
  if (!node.IsMap()) {
    ctx.fail(models::location_of(node), "profile", "expected a mapping of timing parameters");
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const auto& key = it->first.Scalar();
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
      ctx.fail(models::location_of(it->first), "profile." + key, fmt::format("unknown timing parameter \"{}\"", key));
  }
  ProfileFields f{p, ctx, node};
  f.text("name", p.name);
  if (auto v = node["kubernetesVersion"]) {
    std::string version;
    models::decode_scalar(v, "kubernetesVersion", ctx, version);
    const auto grace_default = profile_for_version(version).node_monitor_grace_period;
    p.kubernetes_version = version;
    p.node_monitor_grace_period = grace_default;
  }
  f.seconds("clusterAge", p.cluster_age);
  if (p.cluster_age < 0) ctx.fail(models::location_of(node["clusterAge"]), "clusterAge", "must not be negative");
  f.seconds("nodeLeaseInterval", p.node_lease_interval);
  f.seconds("nodeMonitorGracePeriod", p.node_monitor_grace_period);
  f.seconds("defaultTolerationSeconds", p.default_toleration_seconds);
  f.seconds("nodeMonitorPeriod", p.node_monitor_period);
  f.seconds("nodeEvictionPeriod", p.node_eviction_period);
  f.number("nodeEvictionRate", p.node_eviction_rate);
  f.number("secondaryNodeEvictionRate", p.secondary_node_eviction_rate);
  f.number("largeClusterSizeThreshold", p.large_cluster_size_threshold);
  f.number("unhealthyZoneThreshold", p.unhealthy_zone_threshold);
  f.seconds("podGCPeriod", p.podgc_period);
  f.seconds("podGCQuarantine", p.podgc_quarantine);
  f.number("terminatedPodGCThreshold", p.terminated_pod_gc_threshold);
  f.seconds("pdbDisruptedPodTimeout", p.pdb_disrupted_pod_timeout);
  f.seconds("drainEvictionRetry", p.drain_eviction_retry);
  f.seconds("drainPollInterval", p.drain_poll_interval);
  f.seconds("drainMaxWait", p.drain_max_wait);
  f.seconds("watchLatency", p.watch_latency);
  f.seconds("apiLatency", p.api_latency);
  f.seconds("admissionWebhookLatency", p.admission_webhook_latency);
  f.seconds("schedulerLatency", p.scheduler_latency);
  f.number("virtControllerQPS", p.virt_controller_qps);
  f.number("virtControllerBurst", p.virt_controller_burst);
  f.number("virtControllerVMWorkers", p.virt_controller_vm_workers);
  f.number("virtControllerVMIWorkers", p.virt_controller_vmi_workers);
  if (auto sizes = node["imageSizeMB"]) models::decode_value(sizes, "imageSizeMB", ctx, p.image_size_mb);
  f.number("defaultImageSizeMB", p.default_image_size_mb);
  f.number("launcherImageSizeMB", p.launcher_image_size_mb);
  if (auto images = node["registryImages"]) models::decode_value(images, "registryImages", ctx, p.registry_images);
  f.seconds("imagePullFailure", p.image_pull_failure);
  f.seconds("imagePullBackOffInitial", p.image_pull_backoff_initial);
  f.seconds("imagePullBackOffMax", p.image_pull_backoff_max);
  f.seconds("containerStart", p.container_start);
  f.seconds("containerStop", p.container_stop);
  f.seconds("nodeBoot", p.node_boot);
  f.seconds("podNetworkSetup", p.pod_network_setup);
  f.seconds("handlerSyncLatency", p.handler_sync_latency);
  f.seconds("domainDefine", p.domain_define);
  f.seconds("domainStart", p.domain_start);
  f.seconds("guestShutdown", p.guest_shutdown);
  f.seconds("guestAgentConnect", p.guest_agent_connect);
  f.seconds("accessCredentialsCheck", p.access_credentials_check);
  f.seconds("accessCredentialsResync", p.access_credentials_resync);
  f.seconds("virtHandlerHeartbeat", p.virt_handler_heartbeat);
  f.seconds("virtNodeRecheck", p.virt_node_recheck);
  f.seconds("virtNodeHeartbeatTimeout", p.virt_node_heartbeat_timeout);
  f.seconds("virtControllerLeaseDuration", p.virt_controller_lease_duration);
  f.seconds("virtControllerLeaseRetry", p.virt_controller_lease_retry);
  f.text("clusterEvictionStrategy", p.cluster_eviction_strategy);
  if (auto n = node["clusterEvictionStrategy"]) {
    const auto& v = p.cluster_eviction_strategy;
    if (v != "None" && v != "LiveMigrate" && v != "LiveMigrateIfPossible" && v != "External")
      ctx.fail(models::location_of(n), "clusterEvictionStrategy",
               fmt::format("Unsupported value: \"{}\": supported values: None, LiveMigrate, LiveMigrateIfPossible, External", v));
  }
  f.text("clusterCIDR", p.cluster_cidr);
  f.text("serviceCIDR", p.service_cidr);
  f.seconds("volumeProvisioning", p.volume_provisioning);
  f.seconds("volumeDeletion", p.volume_deletion);
  f.seconds("volumeAttach", p.volume_attach);
  f.seconds("volumeDetach", p.volume_detach);
  f.seconds("volumeMountPoll", p.volume_mount_poll);
  f.seconds("pvClaimBinderSyncPeriod", p.pv_claim_binder_sync);
  f.seconds("dataVolumeImportStart", p.datavolume_import_start);
  f.seconds("dataVolumeImport", p.datavolume_import);
  f.seconds("dataVolumeCloneStart", p.datavolume_clone_start);
  f.seconds("dataVolumeCsiClone", p.datavolume_csi_clone);
  f.seconds("dataVolumeHostClone", p.datavolume_host_clone);
  f.number("parallelMigrationsPerCluster", p.parallel_migrations_per_cluster);
  f.number("parallelOutboundMigrationsPerNode", p.parallel_outbound_migrations_per_node);
  f.quantity("bandwidthPerMigration", p.migration_bandwidth_per_migration);
  f.seconds("completionTimeoutPerGiB", p.migration_completion_timeout_per_gib);
  f.seconds("progressTimeout", p.migration_progress_timeout);
  f.seconds("migrationUnschedulableTimeout", p.migration_unschedulable_timeout);
  f.quantity("migrationDirtyRate", p.migration_dirty_rate);
  f.seconds("migrationMaxDowntime", p.migration_max_downtime);
  f.seconds("migrationTargetPrepare", p.migration_target_prepare);
}

}  // namespace kvsim::sim::engine
