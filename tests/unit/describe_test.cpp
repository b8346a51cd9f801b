// `oc describe`, kind by kind, and its Events section.
#include "sim/commands/describe_writer.hpp"
#include "printer_fixtures.hpp"

TEST_CASE("describe lists events oldest first, with repeat counts as (xN over first-seen)") {
  auto pod = load(kPendingPod, 60);
  const auto text = describe(*pod,
                             {event("Warning", "BackOff", "Back-off pulling image", "kubelet", 40, 12, 3),
                              event("Normal", "Scheduled", "Successfully assigned default/p to node01",
                                    "default-scheduler", 40, 40, 1)},
                             kNow);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() >= 5);
  CHECK(std::vector<std::string>(lines.end() - 5, lines.end()) ==
        std::vector<std::string>{
            "Events:",
            "  Type     Reason     Age                From               Message",
            "  ----     ------     ----               ----               -------",
            "  Normal   Scheduled  40s                default-scheduler  Successfully assigned default/p to node01",
            "  Warning  BackOff    12s (x3 over 40s)  kubelet            Back-off pulling image",
        });
}

TEST_CASE("describe of an object without events ends with Events: <none> aligned to its block") {
  auto pc = load(R"(
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: vm-critical
  annotations:
    team: virt
value: 1000000
description: for VMs
preemptionPolicy: Never
)");
  CHECK(describe(*pc, {}, kNow) ==
        "Name:               vm-critical\n"
        "Labels:             <none>\n"
        "Annotations:        team: virt\n"
        "API Version:        scheduling.k8s.io/v1\n"
        "Kind:               PriorityClass\n"
        "CreationTimestamp:  Mon, 12 Jan 2026 13:46:40 +0000\n"
        "Description:        for VMs\n"
        "Preemption Policy:  Never\n"
        "Value:              1000000\n"
        "Events:             <none>\n");
}

TEST_CASE("describe pod shows node, status, controller, containers and conditions") {
  auto pod = load_as<kvsim::models::Pod>(kLauncherPod, 180);
  pod->metadata.labels = {{"kubevirt.io", "virt-launcher"}, {"vm.kubevirt.io/name", "vm-fedora"}};
  const auto text = describe(*pod, {}, kNow);
  CHECK(line_starting(text, "Name:") == "Name:               virt-launcher-vm-fedora-dpc87");
  CHECK(line_starting(text, "Labels:") == "Labels:             kubevirt.io=virt-launcher");
  CHECK(line_starting(text, "                    vm.kubevirt.io") == "                    vm.kubevirt.io/name=vm-fedora");
  CHECK(line_starting(text, "Node:") == "Node:               node01/192.168.66.101");
  CHECK(line_starting(text, "Status:") == "Status:             Running");
  CHECK(line_starting(text, "Controlled By:") == "Controlled By:  VirtualMachineInstance/vm-fedora");
  CHECK(text.find("Containers:\n"
                  "  compute:\n"
                  "    Image:          quay.io/kubevirt/virt-launcher:v1.5.0\n"
                  "    Port:           <none>\n"
                  "    Host Port:      <none>\n"
                  "    State:          Running\n"
                  "      Started:      Mon, 01 Jan 0001 00:00:00 +0000\n"
                  "    Ready:          True\n"
                  "    Restart Count:  0\n"
                  "    Requests:\n"
                  "      cpu:        100m\n"
                  "      memory:     1Gi\n"
                  "    Environment:  <none>\n"
                  "    Mounts:       <none>\n") != std::string::npos);
  CHECK(text.find("Conditions:\n"
                  "  Type           Status\n"
                  "  Ready          True\n"
                  "  PodScheduled   True\n") != std::string::npos);
  CHECK(line_starting(text, "QoS Class:") == "QoS Class:       Burstable");

  SECTION("a pod being deleted reads Terminating (lasts <age>)") {
    pod->metadata.deletionTimestamp = Timestamp{kNow - 5};
    pod->metadata.deletionGracePeriodSeconds = 60;
    const auto t = describe(*pod, {}, kNow);
    CHECK(line_starting(t, "Status:") == "Status:                    Terminating (lasts 5s)");
    CHECK(line_starting(t, "Termination Grace Period:") == "Termination Grace Period:  60s");
  }
}

TEST_CASE("describe node shows roles, taints, conditions and capacity, and with pods what runs there") {
  auto node = load(R"(
apiVersion: v1
kind: Node
metadata:
  name: node01
  labels:
    node-role.kubernetes.io/worker: ""
spec:
  unschedulable: true
  taints:
  - key: node.kubernetes.io/unschedulable
    effect: NoSchedule
  - key: node.kubernetes.io/unreachable
    effect: NoExecute
status:
  capacity:
    cpu: "4"
    memory: 8Gi
  allocatable:
    cpu: "4"
    memory: 8Gi
  conditions:
  - type: Ready
    status: Unknown
    reason: NodeStatusUnknown
    message: Kubelet stopped posting node status.
  nodeInfo:
    kubeletVersion: v1.31.6
)");
  auto pod = load(kLauncherPod, 180);
  const std::vector<ObjectPtr> pods{pod};
  const auto text = describe(*node, {}, kNow, &pods);
  CHECK(line_starting(text, "Roles:") == "Roles:              worker");
  CHECK(text.find("Taints:             node.kubernetes.io/unreachable:NoExecute\n"
                  "                    node.kubernetes.io/unschedulable:NoSchedule\n"
                  "Unschedulable:      true\n") != std::string::npos);
  CHECK(line_starting(text, "  Ready ") ==
        "  Ready   Unknown   Mon, 01 Jan 0001 00:00:00 +0000   Mon, 01 Jan 0001 00:00:00 +0000   NodeStatusUnknown   "
        "Kubelet stopped posting node status.");
  CHECK(text.find("Capacity:\n  cpu:     4\n  memory:  8Gi\n") != std::string::npos);
  CHECK(line_starting(text, "Non-terminated Pods:") == "Non-terminated Pods:          (1 in total)");
  CHECK(line_starting(text, "  default ") ==
        "  default                     virt-launcher-vm-fedora-dpc87    100m (2%)     0 (0%)      1Gi (12%)        "
        "0 (0%)         3m");
  CHECK(line_starting(text, "  cpu ") == "  cpu                100m (2%)  0 (0%)");
}

TEST_CASE("describe replica set counts the pods it controls by phase") {
  auto rs = load_as<kvsim::models::ReplicaSet>(R"(
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d4b9c
  namespace: default
  uid: rs-uid
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
)");
  rs->status.replicas = 2;
  auto owned = [&](const std::string& name, const std::string& phase) {
    auto p = load_as<kvsim::models::Pod>(kPendingPod);
    p->metadata.name = name;
    p->metadata.ownerReferences = {{"apps/v1", "ReplicaSet", "web-7d4b9c", "rs-uid", true, true}};
    p->status.phase = phase;
    return p;
  };
  const std::vector<ObjectPtr> pods{owned("a", "Running"), owned("b", "Pending"), load(kPendingPod)};
  const auto text = describe(*rs, {}, kNow, &pods);
  CHECK(line_starting(text, "Replicas:") == "Replicas:           2 current / 3 desired");
  CHECK(line_starting(text, "Pods Status:") == "Pods Status:        1 Running / 1 Waiting / 0 Succeeded / 0 Failed");
  CHECK(line_starting(text, "Selector:") == "Selector:           app=web");
  CHECK(text.find("Pod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n") !=
        std::string::npos);
  // Without the pods, the line is left out rather than guessed.
  CHECK(line_starting(describe(*rs, {}, kNow), "Pods Status:").empty());
}

// kubectl has no describer for CRDs: its generic one (kubectl v0.32.0 pkg/describe/describe.go,
// genericDescriber, printUnstructuredContent, smartLabelFor) prints Name, Namespace, Labels and
// Annotations, then the object's fields in key order, maps and lists of maps one level deeper,
// under labels made of the camel-case words ("apiVersion" -> "API Version", "uid" -> "UID").
TEST_CASE("describe VM and VMI use kubectl's generic describer: the object's fields as a tree") {
  auto vm = load_as<kvsim::models::VirtualMachine>(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm-fedora
  namespace: default
spec:
  runStrategy: Manual
  template:
    spec:
      domain:
        devices: {}
        resources:
          requests:
            memory: 1Gi
status:
  printableStatus: Stopped
  conditions:
  - type: Ready
    status: "False"
    reason: VMINotExists
    message: VMI does not exist
  stateChangeRequests:
  - action: Start
)");
  CHECK(describe(*vm, {}, kNow) ==
        "Name:         vm-fedora\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "API Version:  kubevirt.io/v1\n"
        "Kind:         VirtualMachine\n"
        "Metadata:\n"
        "  Creation Timestamp:  2026-01-12T13:46:40Z\n"
        "Spec:\n"
        "  Run Strategy:  Manual\n"
        "  Template:\n"
        "    Spec:\n"
        "      Domain:\n"
        "        Devices:\n"  // an empty map: its label alone
        "        Resources:\n"
        "          Requests:\n"
        "            Memory:  1Gi\n"
        "Status:\n"
        "  Conditions:\n"
        "    Message:         VMI does not exist\n"
        "    Reason:          VMINotExists\n"
        "    Status:          False\n"
        "    Type:            Ready\n"
        "  Printable Status:  Stopped\n"
        "  State Change Requests:\n"
        "    Action:  Start\n"
        "Events:      <none>\n");

  auto vmi = load_as<kvsim::models::VirtualMachineInstance>(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata:
  name: vm-fedora
  namespace: default
  labels: {kubevirt.io/nodeName: node01}
  ownerReferences:
  - apiVersion: kubevirt.io/v1
    kind: VirtualMachine
    name: vm-fedora
    uid: 1b2c
    controller: true
spec:
  domain:
    devices: {}
    resources:
      requests:
        memory: 1Gi
status:
  phase: Running
  nodeName: node01
  interfaces:
  - name: default
    ipAddress: 10.244.1.7
    ipAddresses: [10.244.1.7]
    mac: 52:54:00:ab:cd:ef
)");
  const auto vmi_text = describe(*vmi, {}, kNow);
  // A label key with characters other than letters and '-' is printed as it is; a list of
  // scalars one item a line; the owner reference's uid as "UID".
  CHECK(vmi_text.find("Labels:       kubevirt.io/nodeName=node01\n") != std::string::npos);
  CHECK(vmi_text.find("  Owner References:\n"
                      "    API Version:  kubevirt.io/v1\n"
                      "    Controller:   true\n"
                      "    Kind:         VirtualMachine\n"
                      "    Name:         vm-fedora\n"
                      "    UID:          1b2c\n"
                      "Spec:\n") != std::string::npos);
  CHECK(vmi_text.find("Status:\n"
                      "  Interfaces:\n"
                      "    Ip Address:  10.244.1.7\n"
                      "    Ip Addresses:\n"
                      "      10.244.1.7\n"
                      "    Mac:      52:54:00:ab:cd:ef\n"
                      "    Name:     default\n"
                      "  Node Name:  node01\n"
                      "  Phase:      Running\n") != std::string::npos);
}

TEST_CASE("kubectl's smart labels split camel case, keep acronyms and leave other characters alone") {
  using kvsim::sim::commands::describing::smart_label;
  CHECK(smart_label("apiVersion") == "API Version");
  CHECK(smart_label("uid") == "UID");
  CHECK(smart_label("printableStatus") == "Printable Status");
  CHECK(smart_label("URLPath") == "URL Path");
  CHECK(smart_label("kubevirt.io/vm") == "kubevirt.io/vm");
  CHECK(smart_label("ipv4") == "ipv4");
}

TEST_CASE("describe of other CRDs uses the generic describer too") {
  auto vmim = load(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstanceMigration
metadata:
  name: migrate-db
  namespace: default
spec:
  vmiName: db
)");
  const auto text = describe(*vmim, {}, kNow);
  CHECK(text.find("Spec:\n"
                  "  Vmi Name:  db\n") != std::string::npos);
  CHECK(line_starting(text, "Namespace:") == "Namespace:    default");
}

TEST_CASE("describe deployment shows the replica summary, strategy and pod template with env and volumes") {
  auto d = load_as<kvsim::models::Deployment>(R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        env:
        - name: MODE
          value: prod
        - name: ODD
          valueFrom: {}
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: web-data
)");
  d->status.replicas = 2;
  d->status.updatedReplicas = 2;
  d->status.availableReplicas = 1;
  d->status.unavailableReplicas = 1;
  const auto text = describe(*d, {}, kNow);
  CHECK(line_starting(text, "Replicas:") ==
        "Replicas:               2 desired | 2 updated | 2 total | 1 available | 1 unavailable");
  CHECK(line_starting(text, "RollingUpdateStrategy:") ==
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge");
  CHECK(text.find("    Environment:\n"
                  "      MODE:  prod\n"
                  "      ODD:\n") != std::string::npos);
  // The volume lines share a tabwriter block with the Node-Selectors line after them.
  CHECK(text.find("  Volumes:\n"
                  "   data:\n"
                  "    Type:          PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                  "namespace)\n"
                  "    ClaimName:     web-data\n"
                  "    ReadOnly:      false\n"
                  "  Node-Selectors:  <none>\n") != std::string::npos);
}
