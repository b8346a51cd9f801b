#pragma once
// A domain's real serial console, streamed by virDomainOpenConsole. libvirt's
// event-loop thread reads it into a buffer and queues a ready event when the
// guest's marker appears; the main thread types into it and reads the buffer.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "sim/hypervisor/libvirt_connection.hpp"

namespace kvsim::sim::hypervisor {

class SerialConsole {
 public:
  // Opens the console of `dom` (nullptr and `error` when libvirt refuses).
  static std::shared_ptr<SerialConsole> open(virConnectPtr conn, virDomainPtr dom, const std::string& name,
                                             const std::string& ready_marker, std::string& error);
  ~SerialConsole();
  SerialConsole(const SerialConsole&) = delete;
  SerialConsole& operator=(const SerialConsole&) = delete;

  bool send(const std::string& text);
  std::size_t size() const;
  std::string since(std::size_t offset) const;
  // Waits until the output after `offset` contains `needle` (true) or `timeout_s` passes.
  bool wait_for(std::size_t offset, const std::string& needle, double timeout_s) const;

 private:
  struct Shared;
  explicit SerialConsole(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  static void on_readable(virStreamPtr stream, int events, void* opaque);
  std::shared_ptr<Shared> shared_;
};

// The answer to one command typed at a shell prompt, from what the console
// printed: the echoed command, the `done` line and prompts removed, escape
// sequences and carriage returns dropped.
std::string command_answer(const std::string& printed, const std::string& done_marker);

}  // namespace kvsim::sim::hypervisor
