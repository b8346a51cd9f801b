#include "sim/hypervisor/domain_xml.hpp"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xmlwriter.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace kvsim::sim::hypervisor {

namespace {

// Thin RAII over xmlTextWriter; every call's failure becomes an exception.
class Writer {
 public:
  Writer() : buffer_(xmlBufferCreate(), xmlBufferFree) {
    writer_ = xmlNewTextWriterMemory(buffer_.get(), 0);
    if (!writer_) throw std::runtime_error("libxml2: cannot create an XML writer");
    xmlTextWriterSetIndent(writer_, 1);
    xmlTextWriterSetIndentString(writer_, reinterpret_cast<const xmlChar*>("  "));
  }
  ~Writer() {
    if (writer_) xmlFreeTextWriter(writer_);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Writer& open(const char* element) { return check(xmlTextWriterStartElement(writer_, x(element))); }
  Writer& attr(const char* name, const std::string& value) {
    return check(xmlTextWriterWriteAttribute(writer_, x(name), x(value.c_str())));
  }
  Writer& text(const std::string& value) { return check(xmlTextWriterWriteString(writer_, x(value.c_str()))); }
  Writer& close() { return check(xmlTextWriterEndElement(writer_)); }
  // <element attr=value ...>text</element> in one call.
  Writer& leaf(const char* element, const std::string& value) { return open(element).text(value).close(); }

  std::string finish() {
    check(xmlTextWriterEndDocument(writer_));
    xmlFreeTextWriter(writer_);
    writer_ = nullptr;
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_.get())),
                       static_cast<std::size_t>(xmlBufferLength(buffer_.get())));
  }

 private:
  static const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
  Writer& check(int rc) {
    if (rc < 0) throw std::runtime_error("libxml2: writing the domain XML failed");
    return *this;
  }
  std::unique_ptr<xmlBuffer, void (*)(xmlBufferPtr)> buffer_;
  xmlTextWriterPtr writer_ = nullptr;
};

}  // namespace

std::string domain_xml(const DomainXmlSpec& spec) {
  Writer w;
  w.open("domain").attr("type", spec.type);
  w.leaf("name", spec.name);
  if (!spec.description.empty()) w.leaf("description", spec.description);
  // A VMI without a memory request still needs room for the guest's kernel.
  const auto mib = static_cast<long long>(std::ceil(std::max(spec.memory_mb, 64.0)));
  w.open("memory").attr("unit", "MiB").text(std::to_string(mib)).close();
  w.leaf("vcpu", std::to_string(std::max(spec.vcpus, 1)));
  w.open("os");
  w.open("type").attr("arch", "x86_64").attr("machine", "pc").text("hvm").close();
  if (!spec.kernel.empty()) w.leaf("kernel", spec.kernel);
  if (!spec.initrd.empty()) w.leaf("initrd", spec.initrd);
  if (!spec.kernel.empty()) w.leaf("cmdline", spec.cmdline);
  w.close();
  // ACPI: without it QEMU runs -no-acpi, and virt-launcher's ACPI shutdown reaches no guest.
  w.open("features").open("acpi").close().open("apic").close().close();
  // virsh destroy from outside must look like a crash, as in KubeVirt: nothing restarts it but the VM controller.
  w.leaf("on_poweroff", "destroy").leaf("on_reboot", "destroy").leaf("on_crash", "destroy");
  w.open("devices");
  // The guest's serial console, on a pty that virDomainOpenConsole streams.
  w.open("serial").attr("type", "pty").open("target").attr("port", "0").close().close();
  w.open("console").attr("type", "pty").open("target").attr("type", "serial").attr("port", "0").close().close();
  w.open("graphics").attr("type", "vnc").attr("port", "-1").attr("autoport", "yes").attr("listen", "127.0.0.1");
  w.open("listen").attr("type", "address").attr("address", "127.0.0.1").close();
  w.close();
  w.close();  // devices
  w.close();  // domain
  return w.finish();
}

std::string vnc_port(const std::string& xml) {
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR),
      xmlFreeDoc);
  if (!doc) return {};
  std::unique_ptr<xmlXPathContext, void (*)(xmlXPathContextPtr)> ctx(xmlXPathNewContext(doc.get()), xmlXPathFreeContext);
  std::unique_ptr<xmlXPathObject, void (*)(xmlXPathObjectPtr)> port(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>("string(/domain/devices/graphics[@type='vnc']/@port)"), ctx.get()),
      xmlXPathFreeObject);
  if (!port || port->type != XPATH_STRING || !port->stringval) return {};
  return reinterpret_cast<const char*>(port->stringval);
}

}  // namespace kvsim::sim::hypervisor
