#pragma once
// virt-api's VNC subresource as a WebSocket stream (GET .../vnc, subprotocol
// plain.kubevirt.io): the RFB bytes of the domain's VNC server, both ways.
// Only hybrid mode has one (QEMU's VNC server, which libvirt binds to
// 127.0.0.1): the stream is a TCP proxy to it, read without blocking on each
// main-loop turn. The simulated backend draws no framebuffer: refused_vnc()
// says so, with the path a viewer's frames would take in a real cluster.
#include <memory>

#include "sim/apiserver/handler.hpp"

namespace kvsim::sim::apiserver {

// Hybrid mode's VNC server address ("127.0.0.1:5900") of VMI ns/name, or "" with
// `why` set (a 501 Status answer for the simulated backend, a 500 otherwise).
std::string vnc_server_of(cluster::Cluster& cluster, const std::string& ns, const std::string& name, Response& why);

// A TCP proxy to `address`; the stream ends when either side closes.
std::unique_ptr<Stream> open_vnc_stream(const std::string& address, std::shared_ptr<Outbox> outbox);

}  // namespace kvsim::sim::apiserver
