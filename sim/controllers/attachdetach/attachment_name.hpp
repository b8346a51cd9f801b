#pragma once
// The name of a VolumeAttachment, as the CSI attacher plugin forms it:
// "csi-" + hex(sha256(pvName + attacher + nodeName)).
#include <string>

namespace kvsim::sim::controllers::attachdetach {

std::string attachment_name(const std::string& pv, const std::string& attacher, const std::string& node);
// SHA-256 of `data`, as 64 lowercase hex digits.
std::string sha256_hex(const std::string& data);

}  // namespace kvsim::sim::controllers::attachdetach
