#include "sim/cli/line_reader.hpp"

#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include "sim/commands/command_input.hpp"

namespace kvsim::sim::cli {

struct LineReader::Shared {
  std::mutex mutex;
  std::condition_variable ready;
  struct Item {
    std::optional<std::string> line;
    std::string error;
  };
  std::deque<Item> lines;
  std::function<void()> on_line;  // cleared when the reader goes

  void push(std::optional<std::string> line, std::string error = {}) {
    {
      // on_line runs under the lock, so the reader's destructor waits for it to finish.
      std::lock_guard lock(mutex);
      lines.push_back({std::move(line), std::move(error)});
      if (on_line) on_line();
    }
    ready.notify_one();
  }
};

LineReader::LineReader(std::function<void()> on_line) : shared_(std::make_shared<Shared>()) {
  shared_->on_line = std::move(on_line);
  std::thread([shared = shared_] {
    commands::CommandInput input(std::cin);
    std::string line, error;
    while (input.next(line, error)) shared->push(std::move(line), std::move(error)), error.clear();
    shared->push(std::nullopt);
  }).detach();
}

LineReader::~LineReader() {
  std::lock_guard lock(shared_->mutex);
  shared_->on_line = nullptr;
}

bool LineReader::next(std::optional<std::string>& line, std::string& error, std::chrono::milliseconds wait) {
  std::unique_lock lock(shared_->mutex);
  if (!shared_->ready.wait_for(lock, wait, [this] { return !shared_->lines.empty(); })) return false;
  line = std::move(shared_->lines.front().line);
  error = std::move(shared_->lines.front().error);
  shared_->lines.pop_front();
  return true;
}

}  // namespace kvsim::sim::cli
