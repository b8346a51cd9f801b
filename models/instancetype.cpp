#include "models/instancetype.hpp"

#include <fmt/format.h>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

// The CRDs' schema: guest CPUs and memory are required (a zero is refused as
// the OpenAPI minimum would), names are DNS subdomains.
void validate_instancetype(const Object& o, DecodeContext& ctx) {
  const auto& spec = o.kind == "VirtualMachineInstancetype"
                         ? static_cast<const VirtualMachineInstancetype&>(o).spec
                         : static_cast<const VirtualMachineClusterInstancetype&>(o).spec;
  validate_metadata(o.metadata, o.info().namespaced, NameRule::Subdomain, ctx);
  if (spec.cpu.guest < 1)
    ctx.invalid("spec.cpu.guest", invalid_value(std::to_string(spec.cpu.guest), "must be greater than or equal to 1"));
  if (spec.memory.guest.milli() <= 0)
    ctx.invalid("spec.memory.guest", invalid_value(spec.memory.guest.text(), "must be greater than 0"));
  if (spec.memory.overcommitPercent < 0 || spec.memory.overcommitPercent > 100)
    ctx.invalid("spec.memory.overcommitPercent", invalid_value(std::to_string(spec.memory.overcommitPercent),
                                                               "must be between 0 and 100, inclusive"));
}

void validate_preference(const Object& o, DecodeContext& ctx) {
  validate_metadata(o.metadata, o.info().namespaced, NameRule::Subdomain, ctx);
}

}  // namespace

const KindInfo& VirtualMachineInstancetype::kind_info() {
  // Names and short names: KubeVirt v1.5.0 pkg/virt-operator/resource/generate/components/crds.go.
  static const KindInfo info = with_schema<VirtualMachineInstancetype>(
      {"VirtualMachineInstancetype", "instancetype.kubevirt.io/v1beta1", "virtualmachineinstancetypes",
       {"vminstancetype", "vminstancetypes", "vmf", "vmfs"}, true, {}, &decode_kind<VirtualMachineInstancetype>,
       &validate_instancetype, nullptr, false});
  return info;
}
const KindInfo& VirtualMachineClusterInstancetype::kind_info() {
  static const KindInfo info = with_schema<VirtualMachineClusterInstancetype>(
      {"VirtualMachineClusterInstancetype", "instancetype.kubevirt.io/v1beta1", "virtualmachineclusterinstancetypes",
       {"vmclusterinstancetype", "vmclusterinstancetypes", "vmcf", "vmcfs"}, false, {},
       &decode_kind<VirtualMachineClusterInstancetype>, &validate_instancetype, nullptr, false});
  return info;
}
const KindInfo& VirtualMachinePreference::kind_info() {
  static const KindInfo info = with_schema<VirtualMachinePreference>(
      {"VirtualMachinePreference", "instancetype.kubevirt.io/v1beta1", "virtualmachinepreferences",
       {"vmpref", "vmprefs", "vmp", "vmps"}, true, {}, &decode_kind<VirtualMachinePreference>, &validate_preference,
       nullptr, false});
  return info;
}
const KindInfo& VirtualMachineClusterPreference::kind_info() {
  static const KindInfo info = with_schema<VirtualMachineClusterPreference>(
      {"VirtualMachineClusterPreference", "instancetype.kubevirt.io/v1beta1", "virtualmachineclusterpreferences",
       {"vmcp", "vmcps"}, false, {}, &decode_kind<VirtualMachineClusterPreference>, &validate_preference, nullptr,
       false});
  return info;
}

}  // namespace kvsim::models
