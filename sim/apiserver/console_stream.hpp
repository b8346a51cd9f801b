#pragma once
// virt-api's serial console as a WebSocket stream (GET .../console, subprotocol
// plain.kubevirt.io, raw bytes both ways). The simulated guest's console is
// line based: typed bytes go through the guest's line discipline (echo,
// backspace, ^C) and each completed line is what the shell's attached console
// would have read (commands::console_input), its answer sent back with CRLF
// line ends. In hybrid mode the domain's real serial console is streamed
// instead, bytes as they are. The stream ends when the VMI stops running
// there, or its node goes down.
#include <memory>

#include "sim/apiserver/handler.hpp"

namespace kvsim::sim::apiserver {

// In hybrid mode, why the VMI's real serial console cannot be streamed ("" when it
// can, and always for the simulated backend): virt-api's dial of virt-handler fails.
std::string console_unavailable(cluster::Cluster& cluster, const std::string& ns, const std::string& name);

// The stream of VMI ns/name (already checked: it runs, its virt-handler answers).
std::unique_ptr<Stream> open_console_stream(cluster::Cluster& cluster, const std::string& ns, const std::string& name,
                                            std::shared_ptr<Outbox> outbox);

}  // namespace kvsim::sim::apiserver
