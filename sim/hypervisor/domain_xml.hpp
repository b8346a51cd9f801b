#pragma once
// The libvirt domain XML of a VMI, written with libxml2's xmlTextWriter: names
// and paths are escaped by the writer, never pasted into markup.
#include <string>

namespace kvsim::sim::hypervisor {

struct DomainXmlSpec {
  std::string name;         // the full libvirt name (kvsim-<run id>-<ns>_<vmi>)
  std::string type = "qemu";  // "qemu" (TCG), "kvm", or "test" for libvirt's test driver
  double memory_mb = 128;
  int vcpus = 1;
  std::string kernel, initrd;  // the guest image: direct kernel boot
  std::string cmdline = "console=ttyS0 quiet panic=-1";
  std::string description;  // which VMI, and its disks (all backed by the guest image)
};

std::string domain_xml(const DomainXmlSpec& spec);
// The VNC port in a live domain XML (autoport picks it when the domain starts); "" if none.
std::string vnc_port(const std::string& xml);

}  // namespace kvsim::sim::hypervisor
