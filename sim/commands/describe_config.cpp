#include "sim/commands/describe_config.hpp"

#include "models/base64.hpp"
#include "sim/commands/describe_writer.hpp"

namespace kvsim::sim::commands {

using namespace describing;

namespace {

void name_block(Out& o, const models::Object& obj) {
  o.f(0, "Name:\t{}\n", obj.metadata.name);
  o.f(0, "Namespace:\t{}\n", obj.metadata.namespace_);
  labels_multiline(o, "Labels", obj.metadata.labels);
  annotations_multiline(o, "Annotations", obj.metadata.annotations);
}

// kubectl ranges over a Go map (random order); kvsim prints keys sorted.
// Only a service-account token is shown in clear, as kubectl shows it.
void describe_secret(Out& o, const models::Secret& s) {
  name_block(o, s);
  o.f(0, "\nType:\t{}\n", s.type);
  o.w(0, "\nData\n====\n");
  for (const auto& [key, encoded] : s.data) {
    std::size_t bad = 0;
    const auto bytes = models::base64_decode(encoded, bad).value_or(std::string());
    if (key == "token" && s.type == "kubernetes.io/service-account-token") o.f(0, "{}:\t{}\n", key, bytes);
    else o.f(0, "{}:\t{} bytes\n", key, bytes.size());
  }
}

void describe_configmap(Out& o, const models::ConfigMap& cm) {
  name_block(o, cm);
  o.w(0, "\nData\n====\n");
  // kubectl 1.32 ends each value with a blank line.
  for (const auto& [key, value] : cm.data) o.f(0, "{}:\n----\n{}\n\n", key, value);
  o.w(0, "\nBinaryData\n====\n");
  if (cm.binaryData.is_object())
    for (const auto& [key, value] : cm.binaryData.items()) {
      std::size_t bad = 0;
      const auto text = value.is_string() ? value.get<std::string>() : std::string();
      o.f(0, "{}: {} bytes\n", key, models::base64_decode(text, bad).value_or(std::string()).size());
    }
  o.w(0, "\n");
}

}  // namespace

std::optional<std::string> describe_config(const models::Object& obj,
                                           const std::vector<std::shared_ptr<const models::Event>>& events,
                                           double now) {
  Out o;
  if (const auto* s = dynamic_cast<const models::Secret*>(&obj)) {
    // SecretDescriber lists no events.
    describe_secret(o, *s);
    return o.str();
  }
  const auto* cm = dynamic_cast<const models::ConfigMap*>(&obj);
  if (!cm) return std::nullopt;
  describe_configmap(o, *cm);
  describe_events(o, events, now);
  return o.str();
}

}  // namespace kvsim::sim::commands
