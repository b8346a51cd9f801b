// `oc get` tables, kind by kind.
#include "printer_fixtures.hpp"

TEST_CASE("a VMI row pads every column to its widest cell plus three spaces") {
  auto vmi = load(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata:
  name: vmi-debug-tools
  namespace: default
spec:
  domain:
    devices: {}
    resources:
      requests:
        memory: 128Mi
status:
  phase: Scheduled
  nodeName: node01
  conditions:
  - type: Ready
    status: "False"
)",
                  28);
  // IP is unset, so its cell is empty (a CRD column) and the column is the
  // tabwriter's minimum width, 6.
  CHECK(table({vmi}) ==
        "NAME              AGE   PHASE       IP    NODENAME   READY\n"
        "vmi-debug-tools   28s   Scheduled         node01     False\n");

  SECTION("-o wide adds LIVE-MIGRATABLE and PAUSED, empty when the conditions are missing") {
    CHECK(lines_of(table({vmi}, {.wide = true}))[0] ==
          "NAME              AGE   PHASE       IP    NODENAME   READY   LIVE-MIGRATABLE   PAUSED");
  }

  SECTION("--show-labels adds LABELS last, key=value in key order, <none> without labels") {
    auto labelled = std::static_pointer_cast<kvsim::models::Object>(vmi->clone());
    labelled->metadata.name = "vm1";
    labelled->metadata.labels = {{"kubevirt.io/vm", "vm1"}, {"app", "web"}};
    const auto text = table({vmi, labelled}, {.show_labels = true});
    CHECK(lines_of(text)[0] == "NAME              AGE   PHASE       IP    NODENAME   READY   LABELS");
    CHECK(lines_of(text)[1] == "vmi-debug-tools   28s   Scheduled         node01     False   <none>");
    CHECK(lines_of(text)[2] == "vm1               28s   Scheduled         node01     False   app=web,kubevirt.io/vm=vm1");
  }
}

TEST_CASE("a virt-launcher pod prints ready containers, status, restarts and age") {
  auto pod = load(kLauncherPod, 180);
  CHECK(table({pod}) ==
        "NAME                            READY   STATUS    RESTARTS   AGE\n"
        "virt-launcher-vm-fedora-dpc87   2/2     Running   0          3m\n");
}

TEST_CASE("a pod whose container is waiting prints the waiting reason as its status") {
  auto pod = load_as<kvsim::models::Pod>(kLauncherPod, 5);
  pod->status.phase = "Pending";
  auto& st = pod->status.containerStatuses[1];
  st.ready = false;
  st.state.running.reset();
  st.state.waiting = kvsim::models::ContainerStateWaiting{"ContainerCreating", ""};
  CHECK(lines_of(table({pod}))[1] == "virt-launcher-vm-fedora-dpc87   1/2     ContainerCreating   0          5s");
  CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "ContainerCreating");
}

TEST_CASE("a pod being deleted prints Terminating unless it already finished") {
  auto pod = load_as<kvsim::models::Pod>(kLauncherPod, 180);
  pod->metadata.deletionTimestamp = Timestamp{kNow - 2};
  CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "Terminating");
  CHECK(lines_of(table({pod}))[1] == "virt-launcher-vm-fedora-dpc87   2/2     Terminating   0          3m");

  SECTION("a deleted pod on an unreachable node prints Unknown") {
    pod->status.reason = "NodeLost";
    CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "Unknown");
  }
  SECTION("a Succeeded pod keeps its container's reason") {
    pod->status.phase = "Succeeded";
    for (auto& c : pod->status.containerStatuses) {
      c.ready = false;
      c.state.running.reset();
      c.state.terminated = kvsim::models::ContainerStateTerminated{0, "Completed", "", {}, {}};
    }
    CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "Completed");
  }
}

TEST_CASE("a finished pod prints its container's termination reason") {
  auto pod = load_as<kvsim::models::Pod>(kLauncherPod, 60);
  pod->status.phase = "Failed";
  auto& c = pod->status.containerStatuses[0];
  c.ready = false;
  c.restartCount = 2;
  c.state.running.reset();
  c.state.terminated = kvsim::models::ContainerStateTerminated{1, "Error", "", {}, {}};
  CHECK(lines_of(table({pod}))[1] == "virt-launcher-vm-fedora-dpc87   1/2     Error    2          60s");

  SECTION("without a reason kubectl prints the exit code") {
    c.state.terminated->reason.clear();
    CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "ExitCode:1");
  }
}

TEST_CASE("a pod still running its init containers prints Init:<done>/<total>") {
  auto pod = load_as<kvsim::models::Pod>(kLauncherPod, 10);
  pod->spec.initContainers.resize(2);
  pod->spec.initContainers[0].name = "container-disk-binary";
  pod->spec.initContainers[1].name = "volumecontainerdisk-init";
  pod->status.initContainerStatuses.resize(2);
  pod->status.initContainerStatuses[0].state.terminated = kvsim::models::ContainerStateTerminated{};
  pod->status.initContainerStatuses[1].state.running = kvsim::models::ContainerStateRunning{};
  CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "Init:1/2");

  SECTION("a failing init container prints Init:<reason>") {
    pod->status.initContainerStatuses[1].state.running.reset();
    pod->status.initContainerStatuses[1].state.waiting = kvsim::models::ContainerStateWaiting{"ErrImagePull", ""};
    CHECK(kvsim::sim::commands::pod_status_reason(*pod) == "Init:ErrImagePull");
  }
}

TEST_CASE("pod -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES with <none> for blanks") {
  auto pending = load(kPendingPod, 5);
  CHECK(table({pending}, {.wide = true}) ==
        "NAME    READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\n"
        "web-1   0/1     Pending   0          5s    <none>   <none>   <none>           <none>\n");

  auto running = load(kLauncherPod, 180);
  CHECK(lines_of(table({running}, {.wide = true}))[1] ==
        "virt-launcher-vm-fedora-dpc87   2/2     Running   0          3m    10.244.1.7   node01   <none>           "
        "<none>");
}

TEST_CASE("a cordoned node whose kubelet stopped reporting prints NotReady,SchedulingDisabled") {
  auto node = load(R"(
apiVersion: v1
kind: Node
metadata:
  name: node02
  labels:
    node-role.kubernetes.io/worker: ""
    node-role.kubernetes.io/control-plane: ""
    kubernetes.io/hostname: node02
spec:
  unschedulable: true
status:
  conditions:
  - type: Ready
    status: Unknown
  nodeInfo:
    kubeletVersion: v1.31.6
)",
                   2 * 86400 + 3 * 3600);
  CHECK(table({node}) ==
        "NAME     STATUS                        ROLES                  AGE    VERSION\n"
        "node02   NotReady,SchedulingDisabled   control-plane,worker   2d3h   v1.31.6\n");
}

TEST_CASE("a node without a Ready condition prints Unknown and -o wide fills in <none> and <unknown>") {
  auto node = load(R"(
apiVersion: v1
kind: Node
metadata:
  name: node03
status:
  addresses:
  - type: InternalIP
    address: 192.168.66.103
)",
                   45);
  CHECK(table({node}, {.wide = true}) ==
        "NAME     STATUS    ROLES    AGE   VERSION   INTERNAL-IP      EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   "
        "CONTAINER-RUNTIME\n"
        "node03   Unknown   <none>   45s             192.168.66.103   <none>        <unknown>   <unknown>        "
        "<unknown>\n");
}

TEST_CASE("all namespaces adds a leading NAMESPACE column, for namespaced kinds only") {
  const std::string vm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: NAME
  namespace: NS
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices: {}
        resources:
          requests:
            memory: 128Mi
status:
  printableStatus: STATUS
  conditions:
  - type: Ready
    status: "READY"
)";
  auto make = [&](std::string name, std::string ns, std::string status, std::string ready, double age) {
    std::string y = vm;
    for (auto [from, to] : {std::pair<std::string, std::string>{"NAME", name}, {"NS", ns}, {"STATUS", status},
                            {"READY", ready}})
      y.replace(y.find(from), from.size(), to);
    return load(y, age);
  };
  auto a = make("vm-cirros", "default", "Running", "True", 300);
  auto b = make("vm-fedora", "lab", "Stopped", "False", 45);
  CHECK(table({a, b}, {.all_namespaces = true}) ==
        "NAMESPACE   NAME        AGE   STATUS    READY\n"
        "default     vm-cirros   5m    Running   True\n"
        "lab         vm-fedora   45s   Stopped   False\n");

  auto node = load("apiVersion: v1\nkind: Node\nmetadata:\n  name: node01\n", 60);
  CHECK(lines_of(table({node}, {.all_namespaces = true}))[0].rfind("NAME ", 0) == 0);
}

TEST_CASE("show_kind prefixes each name with the kind and its group") {
  auto nad = load(R"(
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: bridge-net
  namespace: default
spec:
  config: '{"cniVersion": "0.3.1", "type": "bridge"}'
)",
                  180);
  CHECK(table({nad}) ==
        "NAME         AGE\n"
        "bridge-net   3m\n");
  CHECK(lines_of(table({nad}, {.show_kind = true}))[1] ==
        "networkattachmentdefinition.k8s.cni.cncf.io/bridge-net   3m");
  auto pod = load(kPendingPod, 5);
  CHECK(lines_of(table({pod}, {.show_kind = true}))[1].rfind("pod/web-1   0/1", 0) == 0);
}

TEST_CASE("an empty list prints nothing, for the caller's No resources found") {
  CHECK(print_table(kvsim::models::Pod::kind_info(), {}, kNow, {}).empty());
}

TEST_CASE("services print type, cluster IP, ports and <none> for no external IP") {
  auto np = load(R"(
apiVersion: v1
kind: Service
metadata:
  name: vm-ssh
  namespace: default
spec:
  type: NodePort
  clusterIP: 10.96.12.4
  clusterIPs: [10.96.12.4]
  selector:
    vm.kubevirt.io/name: vm-fedora
  ports:
  - port: 22
    nodePort: 30022
    protocol: TCP
)",
                 600);
  auto headless = load(R"(
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: default
spec:
  clusterIP: None
  ports:
  - name: pg
    port: 5432
    protocol: TCP
  - name: metrics
    port: 8080
    protocol: UDP
)",
                       3 * 3600 + 300);
  CHECK(table({np, headless}) ==
        "NAME     TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)             AGE\n"
        "vm-ssh   NodePort    10.96.12.4   <none>        22:30022/TCP        10m\n"
        "db       ClusterIP   None         <none>        5432/TCP,8080/UDP   3h5m\n");
  CHECK(lines_of(table({np}, {.wide = true}))[1] ==
        "vm-ssh   NodePort   10.96.12.4   <none>        22:30022/TCP   10m   vm.kubevirt.io/name=vm-fedora");

  SECTION("a load balancer without an ingress address is <pending>") {
    auto lb = load_as<kvsim::models::Service>(R"(
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  clusterIPs: [10.96.0.20]
  ports:
  - port: 80
    nodePort: 31080
    protocol: TCP
)",
                                              30);
    CHECK(lines_of(table({lb}))[1] == "web    LoadBalancer   10.96.0.20   <pending>     80:31080/TCP   30s");
    lb->status = {{"loadBalancer", {{"ingress", {{{"ip", "192.168.66.200"}}}}}}};
    CHECK(lines_of(table({lb}))[1] == "web    LoadBalancer   10.96.0.20   192.168.66.200   80:31080/TCP   30s");
  }
}

TEST_CASE("volumes and claims print abbreviated access modes, the claim and <unset> attributes class") {
  auto pv = load(R"(
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-disk1
spec:
  capacity:
    storage: 10Gi
  accessModes: [ReadWriteMany, ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: local
  hostPath:
    path: /mnt/disk1
  claimRef:
    namespace: default
    name: fedora-dv
status:
  phase: Bound
)",
                 3 * 3600);
  CHECK(table({pv}) ==
        "NAME       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   REASON   AGE\n"
        "pv-disk1   10Gi       RWO,RWX        Retain           Bound    default/fedora-dv   local          <unset>    "
        "                      3h\n");

  auto bound = load(R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: fedora-dv
  namespace: default
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: local
  volumeName: pv-disk1
  resources:
    requests:
      storage: 5Gi
status:
  phase: Bound
  accessModes: [ReadWriteOnce]
  capacity:
    storage: 10Gi
)",
                    59 * 60);
  auto pending = load(R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: pending-claim
  namespace: default
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: local
  resources:
    requests:
      storage: 5Gi
status:
  phase: Pending
)",
                      120);
  // Capacity and access modes come from status, and only once a volume is bound.
  CHECK(table({bound, pending}) ==
        "NAME            STATUS    VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
        "fedora-dv       Bound     pv-disk1   10Gi       RWO            local          <unset>                 59m\n"
        "pending-claim   Pending                                        local          <unset>                 2m\n");
}

TEST_CASE("workload controllers print their replica counts") {
  SECTION("a deployment prints READY as ready/desired") {
    auto d = load_as<kvsim::models::Deployment>(R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
)",
                                                90);
    d->status.readyReplicas = 2;
    d->status.updatedReplicas = 3;
    d->status.availableReplicas = 2;
    CHECK(table({d}) ==
          "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
          "web    2/3     3            2           90s\n");
  }
  SECTION("a replica set prints DESIRED CURRENT READY, and -o wide its containers and selector") {
    auto rs = load_as<kvsim::models::ReplicaSet>(R"(
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d4b9c
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
)",
                                                 90);
    rs->status.replicas = 3;
    rs->status.readyReplicas = 2;
    CHECK(table({rs}, {.wide = true}) ==
          "NAME         DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n"
          "web-7d4b9c   3         3         2       90s   nginx        nginx:1.27   app=web\n");
  }
  SECTION("a daemon set prints its node selector, <none> without one") {
    const std::string yaml = R"(
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: NAME
  namespace: kubevirt
spec:
  selector:
    matchLabels: {app: NAME}
  template:
    metadata:
      labels: {app: NAME}
    spec:
      SELECTOR
      containers:
      - name: c
        image: quay.io/kubevirt/virt-handler:v1.5.0
)";
    auto make = [&](const std::string& name, const std::string& selector) {
      std::string y = yaml;
      for (std::size_t at; (at = y.find("NAME")) != std::string::npos;) y.replace(at, 4, name);
      y.replace(y.find("SELECTOR"), 8, selector);
      return load_as<kvsim::models::DaemonSet>(y, 3 * 86400);
    };
    auto handler = make("virt-handler", "nodeSelector: {kubernetes.io/os: linux}");
    handler->status = {2, 0, 2, 2, 2, 2, 0, 1};
    auto agent = make("agent", "hostNetwork: false");
    agent->status = {3, 0, 3, 1, 3, 1, 2, 1};
    CHECK(table({handler, agent}) ==
          "NAME           DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
          "virt-handler   2         2         2       2            2           kubernetes.io/os=linux   3d\n"
          "agent          3         3         1       3            1           <none>                   3d\n");
  }
  SECTION("a stateful set prints READY as ready/desired") {
    auto sts = load_as<kvsim::models::StatefulSet>(R"(
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: default
spec:
  replicas: 1
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: pg
        image: postgres:16
)",
                                                   1200);
    sts->status.readyReplicas = 1;
    CHECK(table({sts}) ==
          "NAME   READY   AGE\n"
          "db     1/1     20m\n");
  }
}

TEST_CASE("KubeVirt replica sets and migrations print their CRD columns, blank when unset") {
  auto vmirs = load_as<kvsim::models::VirtualMachineInstanceReplicaSet>(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstanceReplicaSet
metadata:
  name: vmirs-cirros
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: cirros}
  template:
    metadata:
      labels: {app: cirros}
    spec:
      domain:
        devices: {}
        resources:
          requests:
            memory: 128Mi
)",
                                                                         30);
  // status.replicas and readyReplicas are omitempty: zero is absent, so blank.
  CHECK(table({vmirs}) ==
        "NAME           DESIRED   CURRENT   READY   AGE\n"
        "vmirs-cirros   2                           30s\n");

  auto mig = load(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstanceMigration
metadata:
  name: mig-1
  namespace: default
spec:
  vmiName: vm-fedora
status:
  phase: Running
)",
                  30);
  // No AGE column: the CRD lists only PHASE and VMI.
  CHECK(table({mig}) ==
        "NAME    PHASE     VMI\n"
        "mig-1   Running   vm-fedora\n");
}

TEST_CASE("oc get events prints LAST SEEN, the object as kind/name and the first line of the message") {
  auto backoff = std::const_pointer_cast<Event>(
      event("Warning", "BackOff", "Back-off pulling image\nmore detail", "kubelet", 100, 12, 3));
  backoff->involvedObject.mut().name = "virt-launcher-vm-a-x2x4z";
  auto started = std::const_pointer_cast<Event>(
      event("Normal", "Started", "VirtualMachineInstance started.  ", "virt-handler", 40, 40, 1));
  started->involvedObject.mut().kind = "VirtualMachineInstance";
  started->involvedObject.mut().name = "vm-a";
  CHECK(table({backoff, started}) ==
        "LAST SEEN   TYPE      REASON    OBJECT                         MESSAGE\n"
        "12s         Warning   BackOff   pod/virt-launcher-vm-a-x2x4z   Back-off pulling image...\n"
        "40s         Normal    Started   virtualmachineinstance/vm-a    VirtualMachineInstance started.\n");
  CHECK(lines_of(table({backoff}, {.wide = true}))[0] ==
        "LAST SEEN   TYPE      REASON    OBJECT                         SUBOBJECT   SOURCE    MESSAGE                "
        "     FIRST SEEN   COUNT   NAME");
}

TEST_CASE("priority classes print VALUE and GLOBAL-DEFAULT") {
  auto pc = load(R"(
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: vm-critical
value: 1000000
description: for VMs
)",
                 3 * 86400);
  CHECK(table({pc}) ==
        "NAME          VALUE     GLOBAL-DEFAULT   AGE\n"
        "vm-critical   1000000   false            3d\n");
}

TEST_CASE("tabwrite aligns only runs of consecutive lines that share a column") {
  // kubectl's describe settings: no minimum width, padding 2. A line without a
  // tab ends a block: "IPs:" splits Name/Namespace from "  IP:"/"Controlled By:",
  // which is why kubectl's pod describe shows "Controlled By:" out of line.
  CHECK(tabwrite("Name:\tp\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/web\n", 0, 2) ==
        "Name:       p\n"
        "Namespace:  default\n"
        "IPs:\n"
        "  IP:           10.0.0.1\n"
        "Controlled By:  ReplicaSet/web\n");
}

TEST_CASE("times print as Go's RFC 1123 with a numeric zone") {
  CHECK(format_rfc1123z(Timestamp{0}) == "Thu, 01 Jan 2026 00:00:00 +0000");
  CHECK(format_rfc1123z(Timestamp{86400 * 59 + 3661.7}) == "Sun, 01 Mar 2026 01:01:01 +0000");
}
