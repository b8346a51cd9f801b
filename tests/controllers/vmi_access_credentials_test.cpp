// What virt-launcher makes of spec.accessCredentials and what the guest then
// holds, pure (KubeVirt v1.5 access_credentials.go, cloud-init.go
// resolveSSHPublicKeys; cloud-init's ssh module and network config): the keys
// cloud-init's meta-data carries, what the guest agent writes for each user,
// the authorized_keys file the guest shows, and the static addresses of its
// network config.
#include <catch2/catch.hpp>

#include "sim/guest/guest_provisioning.hpp"
#include "sim/kubevirt/access_credentials.hpp"

using namespace kvsim;
using namespace kvsim::sim::kubevirt;

namespace {

models::AccessCredential ssh_credential(const std::string& secret, const std::string& method,
                                        std::vector<std::string> users = {}) {
  models::AccessCredential c;
  c.sshPublicKey.emplace();
  c.sshPublicKey->source.secret = models::AccessCredentialSecretSource{secret};
  auto& m = c.sshPublicKey->propagationMethod;
  if (method == "noCloud") m.noCloud = models::Empty{};
  if (method == "configDrive") m.configDrive = models::Empty{};
  if (method == "qemuGuestAgent") m.qemuGuestAgent = models::QemuGuestAgentSSHPropagation{std::move(users)};
  return c;
}

// Secrets as mounted: name -> files.
SecretFilesReader mounted(std::map<std::string, std::map<std::string, std::string>> secrets) {
  return [secrets](const std::string& name) -> std::optional<std::map<std::string, std::string>> {
    auto it = secrets.find(name);
    if (it == secrets.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("cloud-init's meta-data carries one key per file of the Secrets propagated through its data source") {
  models::VMISpec spec;
  spec.accessCredentials = {ssh_credential("laptop", "noCloud"), ssh_credential("ci", "configDrive"),
                            ssh_credential("agent", "qemuGuestAgent", {"fedora"})};
  const auto read = mounted({{"laptop", {{"a", "ssh-ed25519 AAAA a\n"}, {"b", ""}, {"c", "ssh-rsa BBBB c"}}},
                             {"ci", {{"k", "ssh-ed25519 CCCC ci"}}},
                             {"agent", {{"k", "ssh-ed25519 DDDD agent"}}}});
  CHECK(cloud_init_public_keys(spec, false, read) == std::vector<std::string>{"ssh-ed25519 AAAA a\n", "ssh-rsa BBBB c"});
  CHECK(cloud_init_public_keys(spec, true, read) == std::vector<std::string>{"ssh-ed25519 CCCC ci"});
  CHECK(propagates_through_agent(spec));
  spec.accessCredentials.pop_back();
  CHECK_FALSE(propagates_through_agent(spec));
}

TEST_CASE("the guest agent writes every line of every file to each listed user, and passwords by file name") {
  models::VMISpec spec;
  spec.accessCredentials = {ssh_credential("team", "qemuGuestAgent", {"fedora", "ops"}),
                            ssh_credential("mine", "qemuGuestAgent", {"fedora"})};
  models::AccessCredential password;
  password.userPassword.emplace();
  password.userPassword->source.secret = models::AccessCredentialSecretSource{"pws"};
  password.userPassword->propagationMethod.qemuGuestAgent = models::Empty{};
  spec.accessCredentials.push_back(password);
  const auto read = mounted({{"team", {{"keys", "ssh-ed25519 AAAA one\n  \n ssh-ed25519 BBBB two \n"}}},
                             {"mine", {{"id", "ssh-ed25519 CCCC me"}}},
                             {"pws", {{"fedora", " s3cret\n"}, {"ops", "\n"}}}});
  const auto c = agent_credentials(spec, read);
  CHECK(c.authorized_keys.at("fedora") ==
        std::vector<std::string>{"ssh-ed25519 AAAA one", "ssh-ed25519 BBBB two", "ssh-ed25519 CCCC me"});
  CHECK(c.authorized_keys.at("ops") == std::vector<std::string>{"ssh-ed25519 AAAA one", "ssh-ed25519 BBBB two"});
  // An empty password is skipped.
  CHECK(c.passwords == std::map<std::string, std::string>{{"fedora", "s3cret"}});
  // A changed Secret changes what the watcher compares.
  const auto before = agent_secrets_fingerprint(spec, read);
  CHECK(before == agent_secrets_fingerprint(spec, read));
  CHECK(before != agent_secrets_fingerprint(spec, mounted({{"team", {{"keys", "ssh-ed25519 AAAA one"}}}})));
}

TEST_CASE("a guest user's authorized_keys: the agent's keys replace cloud-init's, which only its default user gets") {
  sim::guest::GuestProvisioning p;
  p.cloud_init = true;
  p.public_keys = {"ssh-ed25519 AAAA meta\nssh-ed25519 BBBB meta2\n"};
  p.user_data = "#cloud-config\nuser: trainee\nssh_authorized_keys:\n  - ssh-rsa CCCC userdata\n";
  std::string text;
  REQUIRE(sim::guest::authorized_keys_file(p, "trainee", "trainee", text));
  CHECK(text == "ssh-ed25519 AAAA meta\nssh-ed25519 BBBB meta2\nssh-rsa CCCC userdata\n");
  CHECK_FALSE(sim::guest::authorized_keys_file(p, "root", "trainee", text));
  p.agent_authorized_keys["trainee"] = {"ssh-ed25519 DDDD agent"};
  REQUIRE(sim::guest::authorized_keys_file(p, "trainee", "trainee", text));
  CHECK(text == "ssh-ed25519 DDDD agent\n");
  p = {};
  CHECK_FALSE(sim::guest::authorized_keys_file(p, "trainee", "trainee", text));
}

TEST_CASE("cloud-init network config gives interfaces their static IPv4 addresses, version 1 or 2") {
  using sim::guest::static_addresses;
  CHECK(static_addresses("version: 2\nethernets:\n  eth1:\n    addresses: [\"fd00::5/64\", 10.1.0.5/16]\n") ==
        std::map<std::string, std::string>{{"eth1", "10.1.0.5/16"}});
  CHECK(static_addresses("network:\n  version: 2\n  ethernets:\n    eth0: {dhcp4: true}\n").empty());
  CHECK(static_addresses("version: 1\nconfig:\n- type: physical\n  name: eth0\n  subnets:\n"
                         "  - {type: static, address: 192.168.1.7, netmask: 255.255.255.0}\n"
                         "- type: nameserver\n  address: [8.8.8.8]\n") ==
        std::map<std::string, std::string>{{"eth0", "192.168.1.7/24"}});
  CHECK(static_addresses("not: [valid").empty());
  CHECK(sim::guest::network_config_json("version: 2\n") == "{\n \"version\": 2\n}\n");
}
