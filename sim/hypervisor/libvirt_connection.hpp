#pragma once
// Internal to the libvirt backend (the only headers that see libvirt's API):
// one shared connection per URI, the queue between libvirt's event-loop
// thread and the main loop, and the registry that routes queued events to the
// backend owning the domain.
#include <libvirt/libvirt.h>

#include <memory>
#include <optional>
#include <string>

namespace kvsim::sim::hypervisor {

class LibvirtHypervisor;

// What libvirt's thread hands to the main loop.
struct QueuedEvent {
  std::string domain;  // the full libvirt name
  int event = 0;       // virDomainEventType, or kReadyMarkerSeen
  int detail = 0;
};
// The guest printed its ready marker on the serial console.
inline constexpr int kReadyMarkerSeen = -1;

class Connection {
 public:
  // Opens (or shares) the connection to `uri`; nullptr and `error` when it cannot.
  static std::shared_ptr<Connection> open(const std::string& uri, std::string& error);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virConnectPtr get() const { return conn_; }
  const std::string& uri() const { return uri_; }
  // libvirt's test driver: in-process, no guest, nothing to pace.
  bool is_test_driver() const { return uri_.starts_with("test:"); }

 private:
  Connection(std::string uri, virConnectPtr conn);
  // Domains named kvsim-<run id>-... whose run has ended: destroyed and undefined, each reported.
  void remove_leftovers();

  std::string uri_;
  virConnectPtr conn_;
  int callback_id_ = -1;
};

// libvirt's last error on this thread, as one line.
std::string last_libvirt_error();
// Any thread (libvirt's event loop): queue an event for the main loop.
void push_event(QueuedEvent e);
// Main thread, right after a call of ours that makes libvirt emit `event` for `domain`:
// waits (at most `timeout_s` of wall time) for libvirt's thread to queue it and takes it
// out of the queue, so that it takes effect at the sim time of the call, not at the next
// step boundary (the sim runs far faster than the wall clock when nothing is paced).
std::optional<QueuedEvent> await_event(const std::string& domain, int event, double timeout_s);
// Main thread: which backend a domain's events go to.
void register_owner(const std::string& domain, LibvirtHypervisor* owner);
void unregister_owner(const std::string& domain);
// Main thread: a domain whose guest runs in real time (the clock is paced while any does).
void set_paced(const std::string& domain, bool paced);
void add_notice(std::string notice);
void backend_created();

}  // namespace kvsim::sim::hypervisor
