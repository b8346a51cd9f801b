#pragma once
// `kvsim virtctl VERB ...`, also reached as `virtctl` and `kubectl-virt` (the
// links the build puts in build/, so `kubectl virt start vm1` works with build/
// on PATH): KubeVirt's virtctl, speaking only the Kubernetes API through a
// kubeconfig (kvsim's endpoint or a real cluster).
#include <optional>
#include <string>
#include <vector>

namespace kvsim::sim::cli {

// `program`: how the user called it (virtctl, kubectl virt), for help texts.
int run_virtctl(const std::vector<std::string>& args, const std::string& program);

// When argv[0]'s name is virtctl or kubectl-virt: that program's exit status.
std::optional<int> virtctl_by_program_name(int argc, char** argv);

}  // namespace kvsim::sim::cli
