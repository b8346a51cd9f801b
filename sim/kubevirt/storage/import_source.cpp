#include "sim/kubevirt/storage/import_source.hpp"

#include <algorithm>
#include <cmath>

#include "sim/node/image_pull.hpp"

namespace kvsim::sim::kubevirt::storage {
namespace {

std::string text_field(const models::Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The host of an http(s) URL ("" when it names none).
std::string url_host(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return {};
  start += 3;
  auto end = url.find_first_of("/:?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool never_resolves(const std::string& host) {
  for (const char* tld : {".invalid", ".test"})
    if (host.ends_with(tld) || host == std::string(tld + 1)) return true;
  return false;
}

}  // namespace

std::optional<std::string> import_failure(const models::DataVolume& dv, const engine::TimingProfile& profile,
                                          bool registry_reachable) {
  const auto& source = dv.spec.source;
  if (!source.is_object()) return std::nullopt;
  if (auto http = source.find("http"); http != source.end() && http->is_object()) {
    const std::string url = text_field(*http, "url");
    const std::string host = url_host(url);
    if (!host.empty() && never_resolves(host))
      return "Unable to connect to http data source: Get \"" + url + "\": dial tcp: lookup " + host +
             " on 172.30.0.10:53: no such host";
  }
  if (auto registry = source.find("registry"); registry != source.end() && registry->is_object()) {
    std::string url = text_field(*registry, "url");
    if (url.starts_with("docker://")) url = url.substr(9);
    if (url.empty()) return std::nullopt;
    if (auto failure = node::pull_failure(profile, url, registry_reachable))
      return "Unable to process data: Failed to read registry image: " + failure->error;
  }
  return std::nullopt;
}

double importer_restart_backoff(const engine::TimingProfile& profile, int restarts) {
  const double b = profile.image_pull_backoff_initial * std::pow(2.0, std::max(0, restarts - 1));
  return std::min(b, profile.image_pull_backoff_max);
}

}  // namespace kvsim::sim::kubevirt::storage
