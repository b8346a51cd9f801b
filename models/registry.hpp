#pragma once
// Every kind the API knows, modelled or refused, and lookup by any of the
// names kubectl accepts (Kind, plural, singular, short names, kind.group,
// resource.version.group); the versions each kind is served in.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::models {

const std::vector<const KindInfo*>& all_kinds();
// Case-insensitive: "VirtualMachineInstance", "virtualmachineinstances",
// "virtualmachineinstance", "vmi", "vmis", "vmi.kubevirt.io",
// "vmis.v1alpha3.kubevirt.io" (a version the kind is not served in: null).
const KindInfo* find_kind(std::string_view name);
// By the pair a manifest carries: any version the kind is served in.
const KindInfo* find_kind(std::string_view api_version, std::string_view kind);

// A kind word as kubectl reads it, with the version it names, if any:
// "vm.v1alpha3.kubevirt.io" -> VirtualMachine, "v1alpha3"; "vm" -> VirtualMachine, "".
struct KindWord {
  const KindInfo* kind = nullptr;
  std::string version;  // empty: the preferred one
};
KindWord find_kind_word(std::string_view name);

// A version the API serves a kind in. Upstream's KubeVirt CRDs declare no
// conversion webhook (strategy None): converting between a kind's versions
// changes apiVersion and nothing else. Objects are stored in the kind's own
// version (KindInfo::api_version), which is also the preferred one: what a
// client that names no version (`oc get vm`) reads.
struct ServedVersion {
  std::string_view version;              // v1alpha3
  std::string_view deprecation_warning;  // upstream's Warning header text; empty: not deprecated
};
// Preferred (storage) version first.
std::vector<ServedVersion> served_versions(const KindInfo& kind);
std::optional<ServedVersion> served_version(const KindInfo& kind, std::string_view version);
// "kubevirt.io/v1 and kubevirt.io/v1alpha3": the served versions, for messages.
std::string served_api_versions(const KindInfo& kind);
// An object's JSON, stored in `kind`'s version, as `api_version` (a version
// the kind is served in) shows it: apiVersion changes, nothing else.
Json in_served_version(Json object, const KindInfo& kind, std::string_view api_version);
// The deprecation warning of the version an apiVersion ("kubevirt.io/v1alpha3")
// names for `kind`; empty when it has none or is not served.
std::string_view deprecation_warning(const KindInfo& kind, std::string_view api_version);

}  // namespace kvsim::models
