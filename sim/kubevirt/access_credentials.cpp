#include "sim/kubevirt/access_credentials.hpp"

namespace kvsim::sim::kubevirt {
namespace {

bool through_agent(const models::AccessCredential& c) {
  return (c.sshPublicKey && c.sshPublicKey->propagationMethod.qemuGuestAgent) ||
         (c.userPassword && c.userPassword->propagationMethod.qemuGuestAgent);
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string access_credential_volume(const std::string& secret) { return secret + "-access-cred"; }

std::vector<std::string> cloud_init_public_keys(const models::VMISpec& spec, bool config_drive,
                                                const SecretFilesReader& read) {
  std::vector<std::string> keys;
  for (const auto& c : spec.accessCredentials) {
    if (!c.sshPublicKey) continue;
    const auto& method = c.sshPublicKey->propagationMethod;
    if (!(config_drive ? method.configDrive.has_value() : method.noCloud.has_value())) continue;
    const auto secret = c.secret_name();
    if (secret.empty()) continue;
    const auto files = read(secret);
    if (!files) continue;  // the pod could not have started without it
    for (const auto& [name, content] : *files)
      if (!content.empty()) keys.push_back(content);
  }
  return keys;
}

bool propagates_through_agent(const models::VMISpec& spec) {
  for (const auto& c : spec.accessCredentials)
    if (through_agent(c) && !c.secret_name().empty()) return true;
  return false;
}

AgentCredentials agent_credentials(const models::VMISpec& spec, const SecretFilesReader& read) {
  AgentCredentials out;
  for (const auto& c : spec.accessCredentials) {
    if (!through_agent(c) || c.secret_name().empty()) continue;
    const auto files = read(c.secret_name());
    if (!files) continue;
    if (c.sshPublicKey) {
      std::vector<std::string> keys;
      for (const auto& [name, content] : *files) {
        std::size_t at = 0;
        while (at <= content.size()) {
          const auto end = content.find('\n', at);
          const auto key = trimmed(content.substr(at, end == std::string::npos ? std::string::npos : end - at));
          if (!key.empty()) keys.push_back(key);
          if (end == std::string::npos) break;
          at = end + 1;
        }
      }
      for (const auto& user : c.sshPublicKey->propagationMethod.qemuGuestAgent->users) {
        auto& list = out.authorized_keys[user];
        list.insert(list.end(), keys.begin(), keys.end());
      }
    } else {
      for (const auto& [user, content] : *files)
        if (auto password = trimmed(content); !password.empty()) out.passwords[user] = password;
    }
  }
  return out;
}

std::string agent_secrets_fingerprint(const models::VMISpec& spec, const SecretFilesReader& read) {
  std::string out;
  for (const auto& c : spec.accessCredentials) {
    if (!through_agent(c) || c.secret_name().empty()) continue;
    out += c.secret_name() + '\0';
    if (const auto files = read(c.secret_name()))
      for (const auto& [name, content] : *files) out += name + '\0' + content + '\0';
  }
  return out;
}

}  // namespace kvsim::sim::kubevirt
