#pragma once
// `virtctl console VMI`: virt-api's serial console stream attached to this
// terminal, as virtctl does it (pkg/virtctl/console): the WebSocket is
// retried every second while virt-api answers 400 (the VMI is not running
// yet) for up to --timeout minutes; then "Successfully connected to VMI
// console. The escape sequence is ^]" on stderr, the terminal in raw mode,
// typed bytes to the guest and its bytes to stdout, until ^] (or ^C while
// not raw). With stdin not a terminal (a pipe, a file), its bytes are sent as
// they come; at its end kvsim waits until the guest has been quiet for a
// moment so the answers arrive (virtctl would stop at once), then detaches.
#include <string>

#include "sim/client/kubeconfig.hpp"

namespace kvsim::sim::client {

struct ConsoleOptions {
  int timeout_minutes = 5;   // --timeout
  double quiet_seconds = 1.5;  // after a non-terminal stdin ends
};

// Returns the exit status; errors are printed on stderr as virtctl prints them.
int run_console(const KubeConfig& config, const std::string& ns, const std::string& name, const ConsoleOptions& options);

// The message virtctl gives for a stream's HTTP refusal (AsyncSubresourceHelper's
// enrichError: a JSON Status's message, else "Can't connect to websocket (CODE): ...").
std::string stream_refusal_text(int status, const std::string& content_type, const std::string& body);

}  // namespace kvsim::sim::client
