#pragma once
// spec.accessCredentials as virt-launcher applies them, pure (KubeVirt v1.5
// pkg/virt-launcher/virtwrap/access-credentials/access_credentials.go, and
// pkg/cloud-init/cloud-init.go resolveSSHPublicKeys). Each credential's Secret is
// mounted in the launcher pod as "<secret>-access-cred" (template.go
// withAccessCredentials); a missing one holds the pod in ContainerCreating.
// - sshPublicKey with noCloud / configDrive: every file of the Secret is a public key
//   in cloud-init's meta-data ("public-keys" / "public_keys"), read once when the
//   domain starts; cloud-init installs them for the guest's default user.
// - sshPublicKey with qemuGuestAgent, and userPassword: virt-launcher checks the
//   mounted Secrets every 15 s and, when they changed (and every 5 min regardless),
//   pings the guest agent and overwrites each listed user's authorized_keys with the
//   keys (every line of every file), or sets each password (file name = user).
//   Its result is the VMI's AccessCredentialsSynchronized condition.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

// The files of Secret `secret` as mounted (key -> decoded value), nullopt when it does not exist.
using SecretFilesReader =
    std::function<std::optional<std::map<std::string, std::string>>(const std::string& secret)>;

// The launcher pod's volume for a credential's Secret.
std::string access_credential_volume(const std::string& secret);

// The public keys cloud-init's meta-data carries for the noCloud (`config_drive` false)
// or configDrive data source: one entry per non-empty file of each such credential's Secret.
std::vector<std::string> cloud_init_public_keys(const models::VMISpec& spec, bool config_drive,
                                                const SecretFilesReader& read);

// Whether virt-launcher starts its guest-agent credential watcher for this VMI.
bool propagates_through_agent(const models::VMISpec& spec);

// What the watcher writes through the guest agent.
struct AgentCredentials {
  std::map<std::string, std::vector<std::string>> authorized_keys;  // user -> keys, in order
  std::map<std::string, std::string> passwords;                     // user -> password
};
AgentCredentials agent_credentials(const models::VMISpec& spec, const SecretFilesReader& read);

// The contents of every Secret the watcher reads, to notice that one changed.
std::string agent_secrets_fingerprint(const models::VMISpec& spec, const SecretFilesReader& read);

}  // namespace kvsim::sim::kubevirt
