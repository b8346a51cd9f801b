#include "sim/cli/line_reader.hpp"

#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

namespace kvsim::sim::cli {

struct LineReader::Shared {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::optional<std::string>> lines;
  std::function<void()> on_line;  // cleared when the reader goes

  void push(std::optional<std::string> line) {
    {
      // on_line runs under the lock, so the reader's destructor waits for it to finish.
      std::lock_guard lock(mutex);
      lines.push_back(std::move(line));
      if (on_line) on_line();
    }
    ready.notify_one();
  }
};

LineReader::LineReader(std::function<void()> on_line) : shared_(std::make_shared<Shared>()) {
  shared_->on_line = std::move(on_line);
  std::thread([shared = shared_] {
    std::string line;
    while (std::getline(std::cin, line)) shared->push(std::move(line));
    shared->push(std::nullopt);
  }).detach();
}

LineReader::~LineReader() {
  std::lock_guard lock(shared_->mutex);
  shared_->on_line = nullptr;
}

bool LineReader::next(std::optional<std::string>& line, std::chrono::milliseconds wait) {
  std::unique_lock lock(shared_->mutex);
  if (!shared_->ready.wait_for(lock, wait, [this] { return !shared_->lines.empty(); })) return false;
  line = std::move(shared_->lines.front());
  shared_->lines.pop_front();
  return true;
}

}  // namespace kvsim::sim::cli
