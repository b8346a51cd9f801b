// `virtctl create vm`: the manifest KubeVirt v1.5.0's virtctl prints
// (pkg/virtctl/create/vm/vm.go) for the flags OpenShift's docs use, field for
// field, and virtctl's errors for bad flags.
#include <catch2/catch.hpp>

#include "sim/client/create_vm.hpp"

using kvsim::sim::client::create_vm_manifest;

namespace {

// Generated names take this suffix, in turn: the first call "xbcdf", then "xbcdg", ...
std::function<std::string()> counting_suffix() {
  auto n = std::make_shared<int>(0);
  return [n] { return std::string("xbcd") + static_cast<char>('f' + (*n)++); };
}

std::string manifest(const std::vector<std::string>& args, const std::string& ns = "") {
  auto r = create_vm_manifest(args, ns, counting_suffix());
  INFO(r.error);
  REQUIRE(r.ok());
  return r.manifest;
}

std::string error_of(const std::vector<std::string>& args) {
  auto r = create_vm_manifest(args, "", counting_suffix());
  REQUIRE_FALSE(r.ok());
  return r.error;
}

}  // namespace

TEST_CASE("virtctl create vm with no flags prints a named VM of 512Mi, run strategy Always") {
  CHECK(manifest({}) == R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  creationTimestamp: null
  name: vm-xbcdf
spec:
  runStrategy: Always
  template:
    metadata:
      creationTimestamp: null
    spec:
      domain:
        devices: {}
        memory:
          guest: 512Mi
        resources: {}
      terminationGracePeriodSeconds: 180
status: {}
)");
  CHECK(manifest({"--name", "vm1", "--run-strategy=halted"}, "lab").find(
            "  name: vm1\n  namespace: lab\nspec:\n  runStrategy: Halted\n") != std::string::npos);
}

TEST_CASE("virtctl create vm from a golden image DataSource infers the instance type and preference from its volume") {
  CHECK(manifest({"--name", "vm-fedora", "--volume-import",
                  "type:ds,src:openshift-virtualization-os-images/fedora,size:30Gi"}) == R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  creationTimestamp: null
  name: vm-fedora
spec:
  dataVolumeTemplates:
  - metadata:
      creationTimestamp: null
      name: imported-volume-xbcdf
    spec:
      sourceRef:
        kind: DataSource
        name: fedora
        namespace: openshift-virtualization-os-images
      storage:
        resources:
          requests:
            storage: 30Gi
  instancetype:
    inferFromVolume: imported-volume-xbcdf
    inferFromVolumeFailurePolicy: Ignore
  preference:
    inferFromVolume: imported-volume-xbcdf
    inferFromVolumeFailurePolicy: Ignore
  runStrategy: Always
  template:
    metadata:
      creationTimestamp: null
    spec:
      domain:
        devices: {}
        memory:
          guest: 512Mi
        resources: {}
      terminationGracePeriodSeconds: 180
      volumes:
      - dataVolume:
          name: imported-volume-xbcdf
        name: imported-volume-xbcdf
status: {}
)");
}

TEST_CASE("virtctl create vm with an instance type, a preference, a named DataSource volume and cloud-init user data") {
  auto r = create_vm_manifest({"--name=rhel9", "--instancetype", "u1.medium", "--preference",
                               "virtualmachineclusterpreference/rhel.9", "--volume-datasource",
                               "src:openshift-virtualization-os-images/rhel9,name:rootdisk",
                               "--cloud-init-user-data", "I2Nsb3VkLWNvbmZpZwp1c2VyOiBjbG91ZC11c2Vy"},
                              "", counting_suffix());
  INFO(r.error);
  REQUIRE(r.ok());
  CHECK(r.warnings == "Flag --volume-datasource has been deprecated, use flag --volume-import instead\n");
  CHECK(r.manifest == R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  creationTimestamp: null
  name: rhel9
spec:
  dataVolumeTemplates:
  - metadata:
      creationTimestamp: null
      name: rootdisk
    spec:
      sourceRef:
        kind: DataSource
        name: rhel9
        namespace: openshift-virtualization-os-images
      storage:
        resources: {}
  instancetype:
    name: u1.medium
  preference:
    kind: virtualmachineclusterpreference
    name: rhel.9
  runStrategy: Always
  template:
    metadata:
      creationTimestamp: null
    spec:
      domain:
        devices: {}
        resources: {}
      terminationGracePeriodSeconds: 180
      volumes:
      - dataVolume:
          name: rootdisk
        name: rootdisk
      - cloudInitNoCloud:
          userDataBase64: I2Nsb3VkLWNvbmZpZwp1c2VyOiBjbG91ZC11c2Vy
        name: cloudinitdisk
status: {}
)");
}

TEST_CASE("virtctl create vm refuses bad flags with virtctl's messages") {
  CHECK(error_of({"--instancetype", "flavor/big"}) ==
        "failed to parse \"--instancetype\" flag: invalid instancetype kind \"flavor\", supported values are: "
        "virtualmachineinstancetype, virtualmachineclusterinstancetype");
  CHECK(error_of({"--preference", "a/b/c"}) ==
        "failed to parse \"--preference\" flag: invalid count 2 of slashes in prefix/name");
  CHECK(error_of({"--volume-import", "type:ftp,url:x"}) ==
        "failed to parse \"--volume-import\" flag: invalid volume import type \"ftp\", see help for supported values");
  CHECK(error_of({"--volume-import", "type:blank"}) == "failed to parse \"--volume-import\" flag: size must be specified");
  CHECK(error_of({"--volume-import", "type:pvc,src:disk0"}) ==
        "failed to parse \"--volume-import\" flag: namespace of pvc \"disk0\" must be specified");
  CHECK(error_of({"--volume-containerdisk", "image:fedora"}) ==
        "failed to parse \"--volume-containerdisk\" flag: unknown param(s): image:fedora");
  CHECK(error_of({"--volume-containerdisk", "src:a,bootorder:0"}) ==
        "failed to parse \"--volume-containerdisk\" flag: bootorder must be greater than 0");
  CHECK(error_of({"--cloud-init-user-data", "eA==", "--user", "fedora"}) ==
        "if any flags in the group [cloud-init-user-data user] are set none of the others can be; "
        "[cloud-init-user-data user] were all set");
  CHECK(error_of({"--name"}) == "flag needs an argument: --name");
  CHECK(error_of({"--infer-instancetype-from", "missing", "--volume-containerdisk", "src:img"}) ==
        "there is no volume with name \"missing\"");
}

TEST_CASE("virtctl create vm --access-cred puts an SSH key or password Secret in the template, with the cloud-init it needs") {
  // Method ga (the default): the user from the param, and cloud-init lets the guest agent manage SSH.
  CHECK(manifest({"--name", "vm1", "--volume-containerdisk", "src:quay.io/containerdisks/fedora:40", "--access-cred",
                  "type:ssh,src:my-keys,user:fedora"}) == R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  creationTimestamp: null
  name: vm1
spec:
  runStrategy: Always
  template:
    metadata:
      creationTimestamp: null
    spec:
      accessCredentials:
      - sshPublicKey:
          propagationMethod:
            qemuGuestAgent:
              users:
              - fedora
          source:
            secret:
              secretName: my-keys
      domain:
        devices: {}
        memory:
          guest: 512Mi
        resources: {}
      terminationGracePeriodSeconds: 180
      volumes:
      - containerDisk:
          image: quay.io/containerdisks/fedora:40
        name: vm1-containerdisk-0
      - cloudInitNoCloud:
          userData: |-
            #cloud-config
            runcmd:
              - [ setsebool, -P, 'virt_qemu_ga_manage_ssh', 'on' ]
        name: cloudinitdisk
status: {}
)");
  // Method nocloud: an empty cloud-config is still written, since the method set --cloud-init.
  const auto nocloud = manifest({"--name", "vm2", "--user", "cloud-user", "--access-cred", "src:my-keys,method:nocloud"});
  CHECK(nocloud.find(R"(      accessCredentials:
      - sshPublicKey:
          propagationMethod:
            noCloud: {}
          source:
            secret:
              secretName: my-keys
)") != std::string::npos);
  CHECK(nocloud.find("      - cloudInitNoCloud:\n          userData: |-\n            #cloud-config\n            user: "
                     "cloud-user\n        name: cloudinitdisk\n") != std::string::npos);
  CHECK(manifest({"--access-cred", "type:ssh,src:k,method:configdrive"})
            .find("      - cloudInitConfigDrive:\n          userData: '#cloud-config'\n        name: cloudinitdisk\n") !=
        std::string::npos);
  // A password Secret: the guest agent sets each user's password (file name = user).
  CHECK(manifest({"--access-cred", "type:password,src:my-pws"}).find(R"(      accessCredentials:
      - userPassword:
          propagationMethod:
            qemuGuestAgent: {}
          source:
            secret:
              secretName: my-pws
)") != std::string::npos);
}

TEST_CASE("virtctl create vm refuses bad --access-cred params with virtctl's messages") {
  const std::string prefix = "failed to parse \"--access-cred\" flag: ";
  CHECK(error_of({"--access-cred", "type:ssh"}) == prefix + "src must be specified");
  CHECK(error_of({"--access-cred", "src:ns/keys,user:u"}) == prefix + "not allowed to specify namespace of secret \"keys\"");
  CHECK(error_of({"--access-cred", "src:keys"}) ==
        prefix + "user must be specified with access credential ssh method ga (\"--user\" flag or param \"user\")");
  CHECK(error_of({"--access-cred", "src:keys,method:nocloud,user:u"}) ==
        prefix + "user cannot be specified with selected access credential type and method");
  CHECK(error_of({"--access-cred", "src:keys,method:nocloud", "--cloud-init", "configdrive"}) ==
        prefix + "method param and value passed to --cloud-init have to match: nocloud vs configdrive");
  CHECK(error_of({"--access-cred", "src:keys,method:telnet"}) ==
        prefix + "invalid access credentials ssh method \"telnet\", supported values are: ga, nocloud, configdrive");
  CHECK(error_of({"--access-cred", "type:password,src:pws,method:nocloud"}) ==
        prefix + "invalid access credentials password method \"nocloud\", supported values are: ga");
  CHECK(error_of({"--access-cred", "type:token,src:keys"}) ==
        prefix + "invalid access credential type \"token\", supported values are: ssh, password");
  CHECK(error_of({"--access-cred", "src:keys,port:22"}) == prefix + "unknown param(s): port:22");
}
