#include "sim/hypervisor/serial_console.hpp"

#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

namespace kvsim::sim::hypervisor {

// Lives as long as the stream's callback may run (its opaque holds a reference).
struct SerialConsole::Shared {
  virStreamPtr stream = nullptr;
  std::string name, ready_marker;
  mutable std::mutex mutex;
  mutable std::condition_variable grew;
  std::string output;
  bool ready = false;
  bool closed = false;
};

std::shared_ptr<SerialConsole> SerialConsole::open(virConnectPtr conn, virDomainPtr dom, const std::string& name,
                                                   const std::string& ready_marker, std::string& error) {
  auto shared = std::make_shared<Shared>();
  shared->name = name;
  shared->ready_marker = ready_marker;
  shared->stream = virStreamNew(conn, VIR_STREAM_NONBLOCK);
  if (!shared->stream || virDomainOpenConsole(dom, nullptr, shared->stream, VIR_DOMAIN_CONSOLE_FORCE) < 0) {
    error = "cannot open the serial console: " + last_libvirt_error();
    if (shared->stream) virStreamFree(shared->stream);
    return nullptr;
  }
  auto* opaque = new std::shared_ptr<Shared>(shared);
  if (virStreamEventAddCallback(shared->stream, VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR,
                                on_readable, opaque, [](void* p) { delete static_cast<std::shared_ptr<Shared>*>(p); }) < 0) {
    error = "cannot watch the serial console: " + last_libvirt_error();
    delete opaque;
    virStreamAbort(shared->stream);
    virStreamFree(shared->stream);
    return nullptr;
  }
  return std::shared_ptr<SerialConsole>(new SerialConsole(shared));
}

SerialConsole::~SerialConsole() {
  virStreamEventRemoveCallback(shared_->stream);
  virStreamAbort(shared_->stream);
  virStreamFree(shared_->stream);
}

void SerialConsole::on_readable(virStreamPtr stream, int, void* opaque) {
  auto& s = **static_cast<std::shared_ptr<Shared>*>(opaque);
  char buf[4096];
  while (true) {
    const int n = virStreamRecv(stream, buf, sizeof buf);
    if (n == -2) break;  // nothing more for now
    std::lock_guard lock(s.mutex);
    if (n <= 0) {
      // End of stream (the guest stopped) or an error: no more reads.
      s.closed = true;
      virStreamEventRemoveCallback(stream);
      s.grew.notify_all();
      return;
    }
    s.output.append(buf, static_cast<std::size_t>(n));
    if (!s.ready && s.output.find(s.ready_marker) != std::string::npos) {
      s.ready = true;
      push_event(QueuedEvent{s.name, kReadyMarkerSeen, 0});
    }
    s.grew.notify_all();
  }
}

bool SerialConsole::send(const std::string& text) {
  std::size_t sent = 0;
  for (int tries = 0; sent < text.size() && tries < 200; ++tries) {
    const int n = virStreamSend(shared_->stream, text.data() + sent, text.size() - sent);
    if (n == -1) return false;
    if (n == -2) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    sent += static_cast<std::size_t>(n);
  }
  return sent == text.size();
}

std::size_t SerialConsole::size() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->output.size();
}

std::string SerialConsole::since(std::size_t offset) const {
  std::lock_guard lock(shared_->mutex);
  return offset < shared_->output.size() ? shared_->output.substr(offset) : std::string();
}

bool SerialConsole::wait_for(std::size_t offset, const std::string& needle, double timeout_s) const {
  std::unique_lock lock(shared_->mutex);
  return shared_->grew.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return shared_->closed || (offset < shared_->output.size() && shared_->output.find(needle, offset) != std::string::npos);
  }) && !shared_->closed;
}

std::string command_answer(const std::string& printed, const std::string& done_marker) {
  // Drop ANSI escape sequences (busybox asks the terminal for its size) and carriage returns.
  std::string clean;
  for (std::size_t i = 0; i < printed.size(); ++i) {
    if (printed[i] == '\x1b' && i + 1 < printed.size() && printed[i + 1] == '[') {
      i += 2;
      while (i < printed.size() && !(printed[i] >= '@' && printed[i] <= '~')) ++i;
      continue;
    }
    if (printed[i] != '\r') clean += printed[i];
  }
  std::vector<std::string> lines;
  std::istringstream in(clean);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  // Line 0 echoes the command; the answer runs until the echo of the `done` command
  // (typed at the next prompt) or, failing that, the marker it printed.
  std::string answer;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].find("echo ") != std::string::npos && lines[i].find("$((") != std::string::npos) break;
    if (lines[i].find(done_marker) != std::string::npos) break;
    answer += lines[i] + "\n";
  }
  return answer;
}

}  // namespace kvsim::sim::hypervisor
