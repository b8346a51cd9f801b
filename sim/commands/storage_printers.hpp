#pragma once
// `oc get` rows for the storage and discovery kinds (kubectl printers.go:
// printStorageClass, printVolumeAttachment, printEndpoints), and the
// endpoint list text `get ep` and `describe svc` share.
#include <string>
#include <vector>

#include "models/discovery.hpp"
#include "models/storage.hpp"

namespace kvsim::sim::commands {

// NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; "(default)" after a default class.
std::vector<std::string> storageclass_row(const models::Object& o, double now, bool wide);
// NAME ATTACHER PV NODE ATTACHED AGE
std::vector<std::string> volumeattachment_row(const models::Object& o, double now, bool wide);
// NAME ENDPOINTS AGE
std::vector<std::string> endpoints_row(const models::Object& o, double now, bool wide);

// kubectl's formatEndpoints: "ip:port" for ready addresses (bare IPs for a
// subset without ports), at most 3 then " + N more..."; "<none>" without
// subsets. With `port_name`, only that Service port's entries.
std::string format_endpoints(const models::Endpoints& ep, const std::string* port_name = nullptr);

}  // namespace kvsim::sim::commands
