#include "sim/guest/guest_provisioning.hpp"

#include <fmt/format.h>

#include <bitset>
#include <cstdint>
#include <cstdio>

#include "models/codec/decoder.hpp"
#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::guest {
namespace {

// The YAML of `text` as JSON (null when it does not parse).
models::Json yaml_json(const std::string& text) {
  models::Problems problems;
  const auto node = models::parse_yaml_document(text, "cloud-init", problems);
  if (!node || !problems.empty()) return nullptr;
  return models::yaml_to_json(*node);
}

std::string text_of(const models::Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

// "255.255.255.0" -> 24 (-1 when it is not a dotted IPv4 mask).
int prefix_of(const std::string& mask) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  char extra = 0;
  if (std::sscanf(mask.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) != 4 || a > 255 || b > 255 || c > 255 ||
      d > 255)
    return -1;
  return static_cast<int>(std::bitset<32>((a << 24) | (b << 16) | (c << 8) | d).count());
}

bool ipv4(const std::string& cidr) { return cidr.find(':') == std::string::npos && !cidr.empty(); }

}  // namespace

bool authorized_keys_file(const GuestProvisioning& p, const std::string& user, const std::string& default_user,
                          std::string& content) {
  content.clear();
  if (auto it = p.agent_authorized_keys.find(user); it != p.agent_authorized_keys.end()) {
    for (const auto& key : it->second) content += key + "\n";
    return true;
  }
  if (!p.cloud_init || user != default_user) return false;
  // cloud-init's ssh module: the data source's keys, then the user data's ssh_authorized_keys;
  // a key text of several lines is several keys.
  std::vector<std::string> keys;
  for (const auto& text : p.public_keys) {
    std::size_t at = 0;
    while (at < text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      if (auto line = text.substr(at, end - at); !line.empty()) keys.push_back(line);
      at = end + 1;
    }
  }
  if (p.user_data.starts_with("#cloud-config")) {
    const auto config = yaml_json(p.user_data);
    if (config.is_object() && config.contains("ssh_authorized_keys") && config["ssh_authorized_keys"].is_array())
      for (const auto& k : config["ssh_authorized_keys"])
        if (!text_of(k).empty()) keys.push_back(text_of(k));
  }
  if (keys.empty()) return false;
  for (const auto& key : keys) content += key + "\n";
  return true;
}

std::map<std::string, std::string> static_addresses(const std::string& network_data) {
  std::map<std::string, std::string> out;
  auto config = yaml_json(network_data);
  if (config.is_object() && config.contains("network")) config = config["network"];
  if (!config.is_object()) return out;
  if (config.contains("ethernets") && config["ethernets"].is_object()) {
    for (const auto& [name, itf] : config["ethernets"].items()) {
      if (!itf.is_object() || !itf.contains("addresses") || !itf["addresses"].is_array()) continue;
      for (const auto& a : itf["addresses"])
        if (ipv4(text_of(a)) && text_of(a).find('/') != std::string::npos) {
          out[name] = text_of(a);
          break;
        }
    }
  }
  if (config.contains("config") && config["config"].is_array()) {
    for (const auto& entry : config["config"]) {
      if (!entry.is_object() || text_of(entry.value("type", models::Json())) != "physical") continue;
      const auto name = text_of(entry.value("name", models::Json()));
      if (name.empty() || !entry.contains("subnets") || !entry["subnets"].is_array()) continue;
      for (const auto& s : entry["subnets"]) {
        if (!s.is_object() || text_of(s.value("type", models::Json())) != "static") continue;
        std::string address = text_of(s.value("address", models::Json()));
        if (!ipv4(address)) continue;
        if (address.find('/') == std::string::npos) {
          const int prefix = prefix_of(text_of(s.value("netmask", models::Json())));
          address += "/" + std::to_string(prefix < 0 ? 24 : prefix);
        }
        out[name] = address;
        break;
      }
    }
  }
  return out;
}

std::string network_config_json(const std::string& network_data) {
  auto config = yaml_json(network_data);
  if (config.is_null()) return {};
  if (config.is_object() && config.contains("network")) config = config["network"];
  return config.dump(1) + "\n";
}

}  // namespace kvsim::sim::guest
