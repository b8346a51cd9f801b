#include "sim/node/image_pull.hpp"

#include <algorithm>

namespace kvsim::sim::node {
namespace {

bool g_registry_reachable = true;

// How long a pull waits for a registry that does not answer: containers/image's dial
// timeout (UNCONFIRMED: 30 s, net.Dialer's default in the transport it builds).
constexpr double kUnreachableTimeout = 30;

// The catalogue entry an image is looked up under: with ":latest" when it names no tag or digest.
std::string canonical(const ImageRef& r) {
  std::string s = r.registry == "docker.io" ? r.repository : r.registry + "/" + r.repository;
  if (!r.digest.empty()) return s + "@" + r.digest;
  return s + ":" + r.tag;
}

}  // namespace

ImageRef parse_image(const std::string& image) {
  ImageRef r;
  std::string rest = image;
  if (auto at = rest.find('@'); at != std::string::npos) {
    r.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  // A first component with a dot or a colon, or "localhost", is a registry host (docker/reference).
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    const std::string first = rest.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost") {
      r.registry = first;
      rest = rest.substr(slash + 1);
    }
  }
  if (r.registry.empty()) r.registry = "docker.io";
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
    r.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  } else if (r.digest.empty()) {
    r.tag = "latest";
  }
  r.repository = rest;
  return r;
}

std::optional<PullFailure> pull_failure(const engine::TimingProfile& profile, const std::string& image,
                                        bool reachable) {
  const auto ref = parse_image(image);
  const std::string source = "initializing source docker://" + canonical(ref) + ": ";
  if (!reachable)
    return PullFailure{source + "pinging container registry " + ref.registry + ": Get \"https://" + ref.registry +
                           "/v2/\": dial tcp: lookup " + ref.registry + ": i/o timeout",
                       kUnreachableTimeout};
  if (profile.registry_images.empty()) return std::nullopt;
  // The release's own images (virt-launcher, virt-handler, the CDI importer...) are in every
  // catalogue: the installed cluster runs them.
  if (ref.registry == "registry.redhat.io" && ref.repository.starts_with("container-native-virtualization/"))
    return std::nullopt;
  const auto wanted = canonical(ref);
  for (const auto& listed : profile.registry_images)
    if (canonical(parse_image(listed)) == wanted) return std::nullopt;
  const std::string what = ref.digest.empty() ? ref.tag : ref.digest;
  return PullFailure{source + "reading manifest " + what + " in " + ref.registry + "/" + ref.repository +
                         ": manifest unknown",
                     profile.image_pull_failure};
}

double next_pull_backoff(const engine::TimingProfile& profile, double current) {
  if (current <= 0) return profile.image_pull_backoff_initial;
  return std::min(current * 2, profile.image_pull_backoff_max);
}

void set_registry_reachable(bool reachable) { g_registry_reachable = reachable; }
bool registry_reachable() { return g_registry_reachable; }

}  // namespace kvsim::sim::node
