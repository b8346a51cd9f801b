#include "sim/kubevirt/kubevirt_admission.hpp"

#include <fmt/format.h>

#include <map>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

namespace {

// `meta_path` is where the metadata sits (metadata, or spec.template.metadata).
void check_sidecars(const KubeVirtConfig& config, const std::map<std::string, std::string>& annotations,
                    const std::string& meta_path, models::DecodeContext& ctx) {
  auto it = annotations.find(kHookSidecarsAnnotation);
  if (it == annotations.end() || it->second.empty() || config.enabled("Sidecar")) return;
  ctx.invalid(meta_path + ".annotations",
              fmt::format("sidecar feature gate is not enabled in kubevirt-config, invalid entry {}.annotations.{}",
                          meta_path, kHookSidecarsAnnotation));
}

void check_volumes(const KubeVirtConfig& config, const models::VMISpec& spec, const std::string& spec_path,
                   models::DecodeContext& ctx) {
  for (std::size_t i = 0; i < spec.volumes.size(); ++i)
    if (spec.volumes[i].hostDisk && !config.enabled("HostDisk"))
      ctx.invalid(fmt::format("{}.volumes[{}]", spec_path, i), "HostDisk feature gate is not enabled");
}

void default_architecture(const KubeVirtConfig& config, models::VMISpec& spec) {
  if (spec.architecture.empty()) spec.architecture = config.default_architecture;
}

// virt-api's VMI mutator on create (KubeVirt v1.5 pkg/defaults SetDefaultVirtualMachineInstance):
// once the spec is defaulted, the status starts with the guest memory (setGuestMemoryStatus) and
// the CPU topology (setCurrentCPUTopologyStatus) the VMI boots with.
void default_vmi_status(models::VirtualMachineInstance& vmi) {
  models::default_vmi_spec(vmi.spec);
  const auto& domain = vmi.spec.domain;
  if (domain.memory && domain.memory->guest && vmi.status.memory.is_null()) {
    const auto& guest = domain.memory->guest->text();
    vmi.status.memory = models::Json{{"guestAtBoot", guest}, {"guestCurrent", guest}, {"guestRequested", guest}};
  }
  if (domain.cpu && vmi.status.currentCPUTopology.is_null()) {
    models::Json topology = models::Json::object();
    // uint32 fields with omitempty: a zero is left out.
    if (domain.cpu->cores.value_or(0)) topology["cores"] = *domain.cpu->cores;
    if (domain.cpu->sockets.value_or(0)) topology["sockets"] = *domain.cpu->sockets;
    if (domain.cpu->threads.value_or(0)) topology["threads"] = *domain.cpu->threads;
    vmi.status.currentCPUTopology = std::move(topology);
  }
}

}  // namespace

std::optional<api::Store::WebhookDenial> admit_kubevirt(const KubeVirtConfig& config, const models::Object* old,
                                                        models::Object& obj) {
  models::DecodeContext ctx;
  std::string webhook;
  if (obj.kind == "VirtualMachineInstance" && !old) {
    auto& vmi = static_cast<models::VirtualMachineInstance&>(obj);
    default_architecture(config, vmi.spec);
    default_vmi_status(vmi);
    webhook = "virtualmachineinstances-create-validator.kubevirt.io";
    check_sidecars(config, vmi.metadata.annotations, "metadata", ctx);
    check_volumes(config, vmi.spec, "spec", ctx);
  } else if (obj.kind == "VirtualMachine") {
    auto& vm = static_cast<models::VirtualMachine&>(obj);
    default_architecture(config, vm.spec.template_.spec);
    webhook = "virtualmachine-validator.kubevirt.io";
    check_sidecars(config, vm.spec.template_.metadata.annotations, "spec.template.metadata", ctx);
    check_volumes(config, vm.spec.template_.spec, "spec.template.spec", ctx);
  }
  if (ctx.problems.empty()) return std::nullopt;
  return api::Store::WebhookDenial{webhook, std::move(ctx.problems), {}};
}

}  // namespace kvsim::sim::kubevirt
