#pragma once
// Every kind the API knows, modelled or refused, and lookup by any of the
// names kubectl accepts (Kind, plural, singular, short names, kind.group).
#include <string_view>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::models {

const std::vector<const KindInfo*>& all_kinds();
// Case-insensitive: "VirtualMachineInstance", "virtualmachineinstances",
// "virtualmachineinstance", "vmi", "vmis", "vmi.kubevirt.io".
const KindInfo* find_kind(std::string_view name);
// By the pair a manifest carries.
const KindInfo* find_kind(std::string_view api_version, std::string_view kind);

}  // namespace kvsim::models
