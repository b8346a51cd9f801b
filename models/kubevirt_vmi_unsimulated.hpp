#pragma once
// KubeVirt v1 types of VMI fields kvsim keeps but does not simulate (declared
// `not_simulated` where they are used, in kubevirt_vmi.hpp and instancetype.hpp):
// typed, so that a misspelt field below them is refused as anywhere else, and
// written back as they came. Field names and types follow KubeVirt's OpenAPI
// schema (kubevirt.io/api core/v1 at v1.5.0).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"
#include "models/quantity.hpp"

namespace kvsim::models {

struct WatchdogAction {
  std::string action;
};
template <class V>
void visit_fields(V& v, WatchdogAction& w) {
  v.enumerated("action", w.action, {"poweroff", "reset", "shutdown"});
}

struct Watchdog {
  std::string name;
  std::optional<WatchdogAction> i6300esb, diag288;
};
template <class V>
void visit_fields(V& v, Watchdog& w) {
  v.field("name", w.name, Required);
  v.field("i6300esb", w.i6300esb);
  v.field("diag288", w.diag288);
}

struct VideoDevice {
  std::string type;
};
template <class V>
void visit_fields(V& v, VideoDevice& d) {
  v.field("type", d.type);
}

struct PanicDevice {
  std::string model;
};
template <class V>
void visit_fields(V& v, PanicDevice& p) {
  v.enumerated("model", p.model, {"hyperv", "isa", "pvpanic"});
}

struct DHCPPrivateOptions {
  std::int32_t option = 0;
  std::string value;
};
template <class V>
void visit_fields(V& v, DHCPPrivateOptions& o) {
  v.field("option", o.option, Required);
  v.field("value", o.value, Required);
}

struct DHCPOptions {
  std::string bootFileName, tftpServerName;
  std::vector<std::string> ntpServers;
  std::vector<DHCPPrivateOptions> privateOptions;
};
template <class V>
void visit_fields(V& v, DHCPOptions& d) {
  v.field("bootFileName", d.bootFileName);
  v.field("tftpServerName", d.tftpServerName);
  v.field("ntpServers", d.ntpServers);
  v.field("privateOptions", d.privateOptions);
}

struct PortRange {
  std::string protocol;
  std::int32_t start = 0, end = 0;
};
template <class V>
void visit_fields(V& v, PortRange& p) {
  v.enumerated("protocol", p.protocol, {"TCP", "UDP"}, Required);
  v.field("start", p.start, Required);
  v.field("end", p.end, Required);
}

struct Chassis {
  std::string manufacturer, version, serial, asset, sku;
};
template <class V>
void visit_fields(V& v, Chassis& c) {
  v.field("manufacturer", c.manufacturer);
  v.field("version", c.version);
  v.field("serial", c.serial);
  v.field("asset", c.asset);
  v.field("sku", c.sku);
}

struct DiskIOThreads {
  std::optional<std::int64_t> supplementalPoolThreadCount;
};
template <class V>
void visit_fields(V& v, DiskIOThreads& t) {
  v.field("supplementalPoolThreadCount", t.supplementalPoolThreadCount);
}

struct ReservedOverhead {
  std::optional<Quantity> addedOverhead;
  std::string memLock;
};
template <class V>
void visit_fields(V& v, ReservedOverhead& r) {
  v.field("addedOverhead", r.addedOverhead);
  v.field("memLock", r.memLock);
}

// A Kubernetes core v1 type: the VMI spec's dnsConfig (copied to no pod yet).
struct PodDNSConfigOption {
  std::string name;
  std::optional<std::string> value;
};
template <class V>
void visit_fields(V& v, PodDNSConfigOption& o) {
  v.field("name", o.name);
  v.field("value", o.value);
}

struct PodDNSConfig {
  std::vector<std::string> nameservers, searches;
  std::vector<PodDNSConfigOption> options;
};
template <class V>
void visit_fields(V& v, PodDNSConfig& c) {
  v.field("nameservers", c.nameservers);
  v.field("searches", c.searches);
  v.field("options", c.options);
}

}  // namespace kvsim::models
