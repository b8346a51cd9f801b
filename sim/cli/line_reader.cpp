#include "sim/cli/line_reader.hpp"

#include <iostream>
#include <thread>

namespace kvsim::sim::cli {

LineReader::LineReader() {
  // Detached: a thread blocked in getline cannot be joined; it ends with the process.
  // The reader lives as long as the front end that made it, which outlives the input loop.
  std::thread([this] {
    std::string line;
    while (std::getline(std::cin, line)) push(std::move(line));
    push(std::nullopt);
  }).detach();
}

bool LineReader::next(std::optional<std::string>& line, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!ready_.wait_for(lock, wait, [this] { return !lines_.empty(); })) return false;
  line = std::move(lines_.front());
  lines_.pop_front();
  return true;
}

void LineReader::push(std::optional<std::string> line) {
  {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  ready_.notify_one();
}

}  // namespace kvsim::sim::cli
