#include "sim/client/console_session.hpp"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "models/codec/decoder.hpp"
#include "sim/client/subresource_stream.hpp"
#include "sim/client/json_fields.hpp"

namespace kvsim::sim::client {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> interrupted{false};
extern "C" void on_sigint(int) { interrupted = true; }

// The terminal in raw mode while attached, restored however the session ends.
class RawTerminal {
 public:
  RawTerminal() {
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    cfmakeraw(&raw);
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  bool active() const { return active_; }

 private:
  termios saved_{};
  bool active_ = false;
};

void write_all(int fd, const std::string& data) {
  std::size_t at = 0;
  while (at < data.size()) {
    const auto n = ::write(fd, data.data() + at, data.size() - at);
    if (n <= 0) return;
    at += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string stream_refusal_text(int status, const std::string& content_type, const std::string& body) {
  if (content_type == "application/json") {
    const auto j = models::Json::parse(body, nullptr, false);
    if (json_string(j, "kind") == "Status" && json_string(j, "apiVersion") == "v1" && json_string(j, "status") != "Success")
      return json_string(j, "message");
  }
  return fmt::format("Can't connect to websocket ({}): websocket: bad handshake", status);
}

int run_console(const KubeConfig& config, const std::string& ns, const std::string& name, const ConsoleOptions& options) {
  const auto deadline = Clock::now() + std::chrono::minutes(options.timeout_minutes);
  std::unique_ptr<SubresourceStream> stream;
  while (!stream) {
    StreamRefusal refused;
    std::string error;
    stream = SubresourceStream::open(config, ns, name, "console", refused, error);
    if (stream) break;
    // virt-api answers 400 while the VMI is not running yet: virtctl waits for it.
    if (refused.status == 400 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (Clock::now() < deadline) continue;
    }
    if (refused.status == 400) {
      std::cerr << "Timeout trying to connect to the virtual machine instance\n";
      return 1;
    }
    std::cerr << (refused.status ? stream_refusal_text(refused.status, refused.content_type, refused.body) : error) << "\n";
    return 1;
  }
  std::cerr << fmt::format("Successfully connected to {} console. The escape sequence is ^]\n", name);
  const bool terminal = isatty(STDIN_FILENO);
  RawTerminal raw;
  std::signal(SIGINT, on_sigint);
  std::atomic<bool> input_done{false}, detached{false};
  std::atomic<Clock::rep> last_output{Clock::now().time_since_epoch().count()};
  auto* s = stream.get();
  // Typed bytes, read on their own thread (a blocking read of a terminal or a pipe).
  std::thread([s, &input_done, &detached] {
    char buf[1024];
    while (true) {
      const auto n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) break;
      if (buf[0] == 29) {  // ^] detaches, as virtctl checks it: the first byte of a read
        detached = true;
        s->stop();
        return;
      }
      s->send(std::string(buf, static_cast<std::size_t>(n)));
    }
    input_done = true;
  }).detach();
  // Watches for ^C (not raw), the end of a terminal's input, and the quiet after a pipe's end.
  std::atomic<bool> session_over{false};
  std::thread watcher([&] {
    while (!session_over) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (interrupted && !raw.active()) return s->stop();
      if (!input_done) continue;
      if (terminal) return s->stop();
      const auto quiet = Clock::now() - Clock::time_point(Clock::duration(last_output.load()));
      if (quiet > std::chrono::duration<double>(options.quiet_seconds)) return s->stop();
    }
  });
  const auto ended = stream->run([&](const std::string& data) {
    last_output = Clock::now().time_since_epoch().count();
    write_all(STDOUT_FILENO, data);
  });
  session_over = true;
  watcher.join();
  std::signal(SIGINT, SIG_DFL);
  if (raw.active()) write_all(STDOUT_FILENO, "\r\n");
  if (!ended.empty() && !detached) {
    std::cerr << "\nYou were disconnected from the console. This could be caused by one of the following:"
                 "\n - the target VM was powered off"
                 "\n - another user connected to the console of the target VM"
                 "\n - network issues\n";
    return 1;
  }
  return 0;
}

}  // namespace kvsim::sim::client
