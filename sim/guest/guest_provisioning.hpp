#pragma once
// What the guest was handed from outside: the cloud-init data source
// virt-launcher built when the domain started (user data, network data, the
// meta-data's public keys), and what virt-launcher later wrote through the
// guest agent (authorized_keys files, passwords). The simulated guest reads its
// files from this: ~/.ssh/authorized_keys, cloud-init's copies of its data, the
// addresses its network config sets.
#include <map>
#include <string>
#include <vector>

namespace kvsim::sim::guest {

struct GuestProvisioning {
  bool cloud_init = false;  // a cloud-init volume (NoCloud or ConfigDrive) was attached
  bool config_drive = false;
  std::string user_data, network_data;
  std::vector<std::string> public_keys;  // cloud-init meta-data "public-keys" ("public_keys" on ConfigDrive)
  // Written through the guest agent: each user's authorized_keys (overwritten whole, as
  // guest-ssh-add-authorized-keys with reset does) and passwords.
  std::map<std::string, std::vector<std::string>> agent_authorized_keys;
  std::map<std::string, std::string> agent_passwords;
};

// ~/.ssh/authorized_keys of `user` (one key a line), or false when the guest has no such
// file: the agent's keys for a user it wrote for; else, for cloud-init's default user
// `default_user`, the meta-data keys then user data's top-level ssh_authorized_keys.
bool authorized_keys_file(const GuestProvisioning& p, const std::string& user, const std::string& default_user,
                          std::string& content);

// The guest interfaces' static IPv4 addresses (eth0 -> "192.168.10.5/24") that cloud-init's
// network config gives: version 1 (`config:` physical entries with static subnets) or
// version 2 (`ethernets:`), either at the top level or under `network:`. Interfaces are
// matched by name only.
std::map<std::string, std::string> static_addresses(const std::string& network_data);

// /run/cloud-init/network-config.json: the network config cloud-init used, as JSON
// ("" when the text is not YAML).
std::string network_config_json(const std::string& network_data);

}  // namespace kvsim::sim::guest
