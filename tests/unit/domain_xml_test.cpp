// Hybrid mode's domain XML: what libvirt is given for a VMI, escaped by the
// XML writer, and the VNC port read back from a live domain's XML.
#include <catch2/catch.hpp>

#include "sim/hypervisor/domain_xml.hpp"

using namespace kvsim::sim::hypervisor;

TEST_CASE("a VMI's domain XML carries its name, memory, vCPUs, the guest image, a pty serial console and VNC on 127.0.0.1") {
  DomainXmlSpec spec;
  spec.name = "kvsim-42-default_vm1";
  spec.memory_mb = 256;
  spec.vcpus = 2;
  spec.kernel = "/guest/vmlinuz";
  spec.initrd = "/guest/initrd.img";
  const auto xml = domain_xml(spec);
  CHECK_THAT(xml, Catch::Contains("<domain type=\"qemu\">"));
  CHECK_THAT(xml, Catch::Contains("<name>kvsim-42-default_vm1</name>"));
  CHECK_THAT(xml, Catch::Contains("<memory unit=\"MiB\">256</memory>"));
  CHECK_THAT(xml, Catch::Contains("<vcpu>2</vcpu>"));
  CHECK_THAT(xml, Catch::Contains("<kernel>/guest/vmlinuz</kernel>"));
  CHECK_THAT(xml, Catch::Contains("<initrd>/guest/initrd.img</initrd>"));
  CHECK_THAT(xml, Catch::Contains("<cmdline>console=ttyS0 quiet panic=-1</cmdline>"));
  CHECK_THAT(xml, Catch::Contains("<acpi/>"));
  CHECK_THAT(xml, Catch::Contains("<serial type=\"pty\">"));
  CHECK_THAT(xml, Catch::Contains("<graphics type=\"vnc\" port=\"-1\" autoport=\"yes\" listen=\"127.0.0.1\">"));
}

TEST_CASE("domain XML escapes what it is given instead of pasting it into markup") {
  DomainXmlSpec spec;
  spec.name = "kvsim-1-ns_a";
  spec.description = "VMI <x> & 'y'</description><evil/>";
  spec.kernel = "/path with \"quotes\"/vmlinuz";
  const auto xml = domain_xml(spec);
  CHECK_THAT(xml, Catch::Contains("<description>VMI &lt;x&gt; &amp; 'y'&lt;/description&gt;&lt;evil/&gt;</description>"));
  CHECK_THAT(xml, !Catch::Contains("<evil/>"));
  CHECK_THAT(xml, Catch::Contains("<kernel>/path with &quot;quotes&quot;/vmlinuz</kernel>"));
}

TEST_CASE("the VNC port is read from a live domain's XML, and is empty when there is none") {
  CHECK(vnc_port("<domain><devices><graphics type='vnc' port='5901' autoport='yes'/></devices></domain>") == "5901");
  CHECK(vnc_port("<domain><devices><graphics type='spice' port='5930'/></devices></domain>").empty());
  CHECK(vnc_port("not xml").empty());
}
