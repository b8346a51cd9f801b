#pragma once
// `virtctl create vm`: the VirtualMachine manifest KubeVirt v1.5.0's virtctl
// prints (pkg/virtctl/create/vm/vm.go), for `| oc apply -f -`. No cluster is
// read: the manifest is built from the flags alone.
//
// Flags as upstream: --name, --run-strategy, --termination-grace-period,
// --memory, --instancetype [kind/]name, --preference [kind/]name,
// --infer-instancetype(-from), --infer-preference(-from), --volume-containerdisk,
// --volume-pvc, --volume-import (types ds, pvc, snapshot, blank, registry, http),
// --volume-datasource (deprecated alias of --volume-import type:ds),
// --volume-clone-pvc, --volume-blank, --cloud-init, --cloud-init-user-data,
// --cloud-init-network-data, --user, --ssh-key, --ga-manage-ssh, --access-cred
// type:ssh|password,src:SECRET[,method:ga|nocloud|configdrive][,user:USER].
// Bad flags get virtctl's errors.
#include <functional>
#include <string>
#include <vector>

namespace kvsim::sim::client {

struct CreateVmResult {
  std::string manifest;  // stdout: the YAML
  std::string warnings;  // stderr lines printed on success (deprecated flags)
  std::string error;     // the line virtctl prints when it fails (exit 1)
  bool ok() const { return error.empty(); }
};

// `args`: what follows `create vm`. `ns`: the namespace written into the
// manifest, only when -n was given (virtctl writes it only then).
// `random_suffix`: 5 characters of apimachinery's rand.String (a seeded source).
CreateVmResult create_vm_manifest(const std::vector<std::string>& args, const std::string& ns,
                                  const std::function<std::string()>& random_suffix);

}  // namespace kvsim::sim::client
