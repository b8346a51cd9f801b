// What a pull of one image gives (the profile's registry catalogue, the unreachable-registry
// fault) and kubelet's image pull back-off (issue 20, item 3; FIDELITY.md §10).
#include <catch2/catch.hpp>

#include "sim/node/image_pull.hpp"

using namespace kvsim;
using namespace kvsim::sim::node;

TEST_CASE("image references split into registry, repository and tag as the runtime reads them") {
  auto r = parse_image("quay.io/kubevirt/cirros-container-disk-demo");
  CHECK(r.registry == "quay.io");
  CHECK(r.repository == "kubevirt/cirros-container-disk-demo");
  CHECK(r.tag == "latest");
  r = parse_image("localhost:5000/disk:v2");
  CHECK(r.registry == "localhost:5000");
  CHECK(r.repository == "disk");
  CHECK(r.tag == "v2");
  r = parse_image("busybox");
  CHECK(r.registry == "docker.io");
  CHECK(r.repository == "busybox");
  r = parse_image("quay.io/a/b@sha256:abc");
  CHECK(r.digest == "sha256:abc");
  CHECK(r.tag.empty());
}

TEST_CASE("the registry catalogue decides which images exist, and an unreachable registry fails every pull") {
  sim::engine::TimingProfile p;
  // No catalogue: every image exists.
  CHECK_FALSE(pull_failure(p, "quay.io/nobody/nothing:v9", true));
  p.registry_images = {"quay.io/kubevirt/cirros-container-disk-demo", "quay.io/containerdisks/fedora:40"};
  CHECK_FALSE(pull_failure(p, "quay.io/kubevirt/cirros-container-disk-demo:latest", true));
  CHECK_FALSE(pull_failure(p, "quay.io/containerdisks/fedora:40", true));
  // The release's own images are always there.
  CHECK_FALSE(pull_failure(p, "registry.redhat.io/container-native-virtualization/virt-launcher-rhel9:v4.19", true));
  auto f = pull_failure(p, "quay.io/containerdisks/fedora:41", true);
  REQUIRE(f);
  CHECK(f->error ==
        "initializing source docker://quay.io/containerdisks/fedora:41: reading manifest 41 in "
        "quay.io/containerdisks/fedora: manifest unknown");
  CHECK(f->after == p.image_pull_failure);
  f = pull_failure(p, "quay.io/containerdisks/fedora:40", false);
  REQUIRE(f);
  CHECK(f->error ==
        "initializing source docker://quay.io/containerdisks/fedora:40: pinging container registry quay.io: "
        "Get \"https://quay.io/v2/\": dial tcp: lookup quay.io: i/o timeout");
  CHECK(f->after == 30);
}

TEST_CASE("kubelet's image pull back-off starts at 10 s and doubles up to 300 s") {
  sim::engine::TimingProfile p;
  std::vector<double> seen;
  double b = 0;
  for (int i = 0; i < 8; ++i) seen.push_back(b = next_pull_backoff(p, b));
  CHECK(seen == std::vector<double>{10, 20, 40, 80, 160, 300, 300, 300});
}
