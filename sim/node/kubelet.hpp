#pragma once
// The kubelet of one node: registers its Node and posts its conditions,
// runs the pods bound to it (image pulls over the network model, container
// start from the profile), gives them an IP from the node's pod CIDR, stops
// them on deletion, and renews the node's lease. Starting a container is CPU
// work on the node (engine::run_on_cpu): many at once on few cores take longer. After its host went down it
// restarts on recovery as after a reboot: its containers are gone.
#include <functional>
#include <deque>
#include <map>
#include <set>

#include "models/core.hpp"
#include "sim/controllers/component.hpp"
#include "sim/node/leases.hpp"
#include "sim/node/network_status.hpp"

namespace kvsim::sim::node {

// OVN-Kubernetes gives a node's subnet .1 to the gateway and .2 to the management port
// ovn-k8s-mp0 (go-controller pkg/util/net.go): pods start at .3.
inline constexpr std::uint32_t kFirstPodAddress = 3;

class Kubelet : public controllers::Component {
 public:
  // `registration`: the Node it registers when none exists (at start, or after `delete node`).
  Kubelet(controllers::Context& ctx, Leases& leases, std::string node,
          std::shared_ptr<const models::Node> registration);
  void start() override;
  // The host was powered on: the kubelet process starts `seconds` later, once the OS has
  // booted, then `then` runs (the node's other processes).
  void boot(double seconds, std::function<void()> then);
  // The host went down: the kubelet process, what it was doing and the
  // node's containers are gone.
  void lost();
  const std::string& node_name() const { return node_; }
  // The runtime saw every container of the pod exit 0 (restartPolicy Never): the pod is
  // Succeeded, its containers Completed, Ready False (PodCompleted). Nothing if it is not running here.
  void containers_exited(const std::string& ns, const std::string& name);

 private:
  enum class Stage { Pulling, Starting, Running, Stopping };
  struct Local {
    Stage stage;
    std::string uid;
  };

  void reconcile(const std::string& key) override;
  // The kubelet process's start: the pod watch, the node status, every pod of the node, the lease.
  void run_process();
  void begin(const models::Pod& pod);
  void pull_next();
  // A pull of `image` for pod `key` failed with the runtime's `error`: events, ErrImagePull, back-off.
  void pull_failed(const std::string& image, const std::string& key, const std::string& error);
  // The pod worker's next look (every 10 s) at a pod whose pull of `image` failed at `failed_at`.
  void retry_pull(const std::string& key, const std::string& uid, const std::string& image, double failed_at);
  // Sets the waiting state of every container of pod `key` that runs `image` (no write when unchanged).
  void set_image_waiting(const std::string& key, const std::string& image, const std::string& reason,
                         const std::string& message);
  void after_pulls(const std::string& key, const std::string& uid);
  // Starts the pod's `index`-th container, init containers first: each waits for the one
  // before (an init container must have completed), as syncPod starts them in turn.
  void start_container(const std::string& key, const std::string& uid, std::size_t index);
  std::shared_ptr<const models::Pod> pod_still_starting(const std::string& key, const std::string& uid) const;
  void init_containers_done(const models::Pod& pod);
  void containers_started(const std::string& key, const std::string& uid);
  // "Successfully pulled image ..." after `pulling` seconds of transfer, `waiting` since asked.
  void pulled_event(const models::Pod& pod, const std::string& image, double pulling, double waiting);
  // The `index`-th container (init containers first) was created and started: its events.
  void container_events(const std::string& key, const std::string& uid, std::size_t index);
  void stop(const models::Pod& pod);
  void renew_lease();
  void sync_node_status();
  void restart_after_reboot(const models::Pod& pod);
  std::string allocate_ip();
  DeviceFor vf_allocator(const models::Pod& pod) const;
  double image_bytes(const std::string& image) const;

  Leases& leases_;
  std::string node_;
  std::shared_ptr<const models::Node> registration_;
  bool rebooted_ = false;  // the host went down since the containers were started
  std::map<std::string, Local> pods_;          // by key
  std::set<std::string> images_;               // pulled (on disk: survives restarts)
  struct PullRequest {
    std::string image, key;  // the image, for the pod `key`
    double queued;           // when the pod asked for it (its pull then waits its turn)
  };
  std::deque<PullRequest> pull_queue_;  // pulls are serialized
  std::map<std::string, std::set<std::string>> pulled_for_;  // pod UID -> images pulled for it
  std::map<std::string, std::set<std::string>> waiting_images_; // pod key -> images left
  bool pulling_ = false;
  std::map<std::string, double> pull_backoff_;  // "podUID_image" -> current back-off (flowcontrol.Backoff)
  std::uint32_t next_ip_ = kFirstPodAddress;
  int watch_id_ = 0;
  bool booting_ = false;  // powered on, the OS still booting: nothing runs yet
};

}  // namespace kvsim::sim::node
