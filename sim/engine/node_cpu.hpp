#pragma once
// Work a node's CPU does (the container runtime creating and starting a container, a process
// starting up) as a SimGrid execution on the node's host. Alone it takes `seconds`; when more
// run at once than the node has cores they share them, so a node starting many pods at once
// starts each of them later. Host speed is nominal: `seconds` is what one core needs.
#include <functional>
#include <string>

namespace kvsim::sim::engine {

// Runs `seconds` of one core's work on `host`, then calls `done` from the host's activity
// waiter (post to a reactor from it). Nothing is reported if the host goes down meanwhile.
void run_on_cpu(const std::string& host, double seconds, std::function<void()> done);

}  // namespace kvsim::sim::engine
