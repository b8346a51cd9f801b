#include "sim/hypervisor/libvirt_runtime.hpp"

#include <fmt/format.h>
#include <libvirt/virterror.h>
#include <signal.h>
#include <simgrid/s4u/Engine.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "sim/engine/clock.hpp"
#include "sim/hypervisor/libvirt_connection.hpp"
#include "sim/hypervisor/libvirt_hypervisor.hpp"

namespace kvsim::sim::hypervisor {

namespace {

using WallClock = std::chrono::steady_clock;

// Shared with libvirt's event-loop thread: only the queue, under its mutex.
struct EventQueue {
  std::mutex mutex;
  std::condition_variable pushed;
  std::vector<QueuedEvent> events;
};
EventQueue& queue() {
  static EventQueue q;
  return q;
}

// Main thread only.
struct MainState {
  std::map<std::string, LibvirtHypervisor*> owners;
  std::set<std::string> paced;
  std::vector<std::string> notices;
  std::map<std::string, std::weak_ptr<Connection>> connections;
  bool in_use = false;
  // Pacing: sim time `sim_anchor` was reached at wall time `wall_anchor`.
  bool pacing = false;
  double sim_anchor = 0;
  WallClock::time_point wall_anchor;
};
MainState& state() {
  static MainState s;
  return s;
}

void ensure_event_loop() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Before any connection opens: their events are dispatched by this loop.
    virEventRegisterDefaultImpl();
    // libvirt prints every error on stderr by default; kvsim reports them itself, where they belong.
    virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
    // Runs for the life of the process, blocked in poll(2) between events.
    std::thread([] {
      while (virEventRunDefaultImpl() == 0) {
      }
    }).detach();
  });
}

int on_lifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void*) {
  if (const char* name = virDomainGetName(dom); name && std::string_view(name).starts_with(kDomainPrefix))
    push_event(QueuedEvent{name, event, detail});
  return 0;
}

// A run id is this kvsim's pid: a domain whose run id names no live kvsim process is a leftover.
bool run_is_alive(const std::string& id) {
  if (id == run_id()) return true;
  if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  std::ifstream comm("/proc/" + id + "/comm");
  std::string name;
  return comm && std::getline(comm, name) && name.starts_with("kvsim");
}

std::vector<QueuedEvent> take_events() {
  auto& q = queue();
  std::lock_guard lock(q.mutex);
  return std::exchange(q.events, {});
}

// Hands queued events to their backends (which post them on their node's reactor).
bool drain() {
  auto events = take_events();
  for (const auto& e : events)
    if (auto it = state().owners.find(e.domain); it != state().owners.end()) it->second->deliver(e);
  return !events.empty();
}

}  // namespace

const std::string& run_id() {
  static const std::string id = std::to_string(getpid());
  return id;
}

std::string last_libvirt_error() {
  const char* m = virGetLastErrorMessage();
  return m ? m : "unknown libvirt error";
}

void push_event(QueuedEvent e) {
  auto& q = queue();
  std::lock_guard lock(q.mutex);
  q.events.push_back(std::move(e));
  q.pushed.notify_all();
}

std::optional<QueuedEvent> await_event(const std::string& domain, int event, double timeout_s) {
  auto& q = queue();
  std::unique_lock lock(q.mutex);
  std::optional<QueuedEvent> found;
  q.pushed.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    auto it = std::find_if(q.events.begin(), q.events.end(),
                           [&](const QueuedEvent& e) { return e.domain == domain && e.event == event; });
    if (it == q.events.end()) return false;
    found = *it;
    q.events.erase(it);
    return true;
  });
  return found;
}

void register_owner(const std::string& domain, LibvirtHypervisor* owner) {
  state().owners[domain] = owner;
  // Events still queued under this name belong to an earlier domain of that name (a cluster torn down
  // in this process, a VMI recreated): the new domain must not see them.
  auto& q = queue();
  std::lock_guard lock(q.mutex);
  std::erase_if(q.events, [&](const QueuedEvent& e) { return e.domain == domain; });
}
void unregister_owner(const std::string& domain) {
  state().owners.erase(domain);
  set_paced(domain, false);
}

void set_paced(const std::string& domain, bool paced) {
  auto& s = state();
  if (paced) s.paced.insert(domain);
  else s.paced.erase(domain);
}

void add_notice(std::string notice) { state().notices.push_back(std::move(notice)); }
void backend_created() { state().in_use = true; }

bool libvirt_in_use() { return state().in_use; }

std::vector<std::string> take_notices() { return std::exchange(state().notices, {}); }

std::optional<double> wall_clock_sim_time() {
  const auto& s = state();
  if (!s.pacing) return std::nullopt;
  // In scenario time, as the callers compare it with the cluster's now().
  return s.sim_anchor + std::chrono::duration<double>(WallClock::now() - s.wall_anchor).count() -
         engine::time_origin();
}

void run_libvirt_paced(double t, const std::function<void(double)>& run_until) {
  namespace sg4 = simgrid::s4u;
  constexpr double kPacedStep = 0.05;    // sim seconds between drains while a real guest runs
  constexpr double kUnpacedStep = 1.0;   // the test driver: events still arrive from libvirt's thread
  auto& s = state();
  while (true) {
    drain();
    const double now = sg4::Engine::get_clock();
    if (!s.paced.empty() && !s.pacing) {
      s.pacing = true;
      s.sim_anchor = now;
      s.wall_anchor = WallClock::now();
    } else if (s.paced.empty()) {
      s.pacing = false;
    }
    if (now >= t) break;
    const double next = std::min(t, now + (s.pacing ? kPacedStep : kUnpacedStep));
    if (s.pacing) {
      const auto due = s.wall_anchor + std::chrono::duration_cast<WallClock::duration>(
                                           std::chrono::duration<double>(next - s.sim_anchor));
      std::this_thread::sleep_until(due);
    }
    run_until(next);
  }
  // Events drained at `t` take effect at `t`.
  if (drain()) run_until(t);
}

// ---------------------------------------------------------------- Connection

std::shared_ptr<Connection> Connection::open(const std::string& uri, std::string& error) {
  auto& s = state();
  if (auto it = s.connections.find(uri); it != s.connections.end())
    if (auto shared = it->second.lock()) return shared;
  ensure_event_loop();
  virConnectPtr conn = virConnectOpen(uri.c_str());
  if (!conn) {
    error = last_libvirt_error();
    return nullptr;
  }
  std::shared_ptr<Connection> c(new Connection(uri, conn));
  c->callback_id_ = virConnectDomainEventRegisterAny(conn, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), nullptr, nullptr);
  if (c->callback_id_ < 0) {
    error = "cannot receive lifecycle events: " + last_libvirt_error();
    return nullptr;
  }
  c->remove_leftovers();
  s.connections[uri] = c;
  return c;
}

Connection::Connection(std::string uri, virConnectPtr conn) : uri_(std::move(uri)), conn_(conn) {}

Connection::~Connection() {
  if (callback_id_ >= 0) virConnectDomainEventDeregisterAny(conn_, callback_id_);
  virConnectClose(conn_);
}

void Connection::remove_leftovers() {
  virDomainPtr* domains = nullptr;
  const int n = virConnectListAllDomains(conn_, &domains, 0);
  for (int i = 0; i < n; ++i) {
    const std::string name = virDomainGetName(domains[i]);
    if (name.starts_with(kDomainPrefix)) {
      const auto rest = name.substr(std::string_view(kDomainPrefix).size());
      const auto id = rest.substr(0, rest.find('-'));
      if (!run_is_alive(id)) {
        if (virDomainIsActive(domains[i]) == 1) virDomainDestroy(domains[i]);
        const bool gone = virDomainUndefine(domains[i]) == 0 || virDomainIsPersistent(domains[i]) != 1;
        add_notice(gone ? fmt::format("kvsim: removed domain {} on {}, left by an earlier run (pid {}) that did not clean up",
                                      name, uri_, id)
                        : fmt::format("kvsim: domain {} on {} was left by an earlier run (pid {}) and cannot be removed: {}",
                                      name, uri_, id, last_libvirt_error()));
      }
    }
    virDomainFree(domains[i]);
  }
  free(domains);
}

}  // namespace kvsim::sim::hypervisor
