#include "sim/commands/command_history.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include "models/codec/input_file.hpp"
#include "sim/apiserver/kubeconfig_file.hpp"
#include "sim/commands/command_input.hpp"

namespace kvsim::sim::commands {
namespace {

// A whole history of the longest lines the shell takes; a bigger file is read that far.
constexpr std::size_t kMaxHistoryFileBytes = kHistoryLines * kMaxCommandLineBytes;

// What a prompt can have taken: printable text (UTF-8 included), tabs, and
// no more than the shell's cap on a line.
bool is_command_line(const std::string& line) {
  if (line.empty() || line.size() > kMaxCommandLineBytes) return false;
  std::size_t continuation = 0;  // UTF-8 continuation bytes still expected
  for (unsigned char c : line) {
    if (continuation) {
      if ((c & 0xC0) != 0x80) return false;
      --continuation;
    } else if (c >= 0x80) {
      if ((c & 0xE0) == 0xC0 && c >= 0xC2) continuation = 1;
      else if ((c & 0xF0) == 0xE0) continuation = 2;
      else if ((c & 0xF8) == 0xF0 && c <= 0xF4) continuation = 3;
      else return false;
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      return false;
    }
  }
  return continuation == 0;
}

// Held while a session reads the file and writes it back, so that two
// sessions saving at once both keep their lines. A separate file: the
// history itself is replaced by each write.
class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0)
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// The file's lines; a missing file is an empty history.
std::vector<std::string> read_history(const std::string& path, std::size_t limit, std::string& notice) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  std::string error;
  auto text = models::read_input_file(path, kMaxHistoryFileBytes, error);
  if (!text) {
    notice = fmt::format("history {}: cannot read it ({}); this session's lines are kept in memory only", path, error);
    return {};
  }
  std::size_t skipped = 0;
  auto lines = parse_history(*text, skipped, limit);
  if (skipped)
    notice = fmt::format("history {}: {} damaged line{} skipped (kept: {})", path, skipped, skipped == 1 ? "" : "s",
                         lines.size());
  return lines;
}

}  // namespace

std::string default_history_path() {
  if (const char* own = std::getenv("KVSIM_HISTORY")) return own;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/')
    return std::string(state) + "/kvsim/history";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/state/kvsim/history";
  return {};
}

std::vector<std::string> parse_history(const std::string& text, std::size_t& skipped, std::size_t limit) {
  std::vector<std::string> lines;
  skipped = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const auto end = text.find('\n', begin);
    // Every line is written with its newline: a last line without one was cut by a crash.
    if (end == std::string::npos) {
      ++skipped;
      break;
    }
    std::string line = text.substr(begin, end - begin);
    if (line.ends_with('\r')) line.pop_back();
    if (is_command_line(line)) lines.push_back(std::move(line));
    else if (!line.empty()) ++skipped;
    begin = end + 1;
  }
  if (lines.size() > limit) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(limit));
  return lines;
}

CommandHistory::CommandHistory(std::string path, std::size_t limit) : path_(std::move(path)), limit_(limit) {
  if (!path_.empty()) lines_ = read_history(path_, limit_, notice_);
}

std::string CommandHistory::add(const std::string& typed) {
  // Without the blank Tab leaves after a word: `get vms ` and `get vms` are one line to recall.
  const std::string line = typed.substr(0, typed.find_last_not_of(" \t") + 1);
  // A line that ends the session is not worth recalling: ↑ then Enter would end the next one.
  if (line == "q" || line == "quit" || line == "exit") return {};
  if (!is_command_line(line) || (!lines_.empty() && lines_.back() == line)) return {};
  lines_.push_back(line);
  if (lines_.size() > limit_) lines_.erase(lines_.begin());
  if (path_.empty()) return {};
  std::error_code ec;
  if (const auto folder = std::filesystem::path(path_).parent_path(); !folder.empty())
    std::filesystem::create_directories(folder, ec);
  std::string error;
  {
    FileLock lock(path_);
    std::string ignored;
    auto on_disk = read_history(path_, limit_, ignored);
    if (on_disk.empty() || on_disk.back() != line) on_disk.push_back(line);
    if (on_disk.size() > limit_) on_disk.erase(on_disk.begin());
    std::string text;
    for (const auto& l : on_disk) text += l + "\n";
    error = apiserver::write_file_atomically(path_, text);
  }
  if (error.empty()) return {};
  // Said once: the session goes on with its history in memory.
  error = fmt::format("history: {}; this session's lines are kept in memory only", error);
  path_.clear();
  notice_ = error;
  return error;
}

std::string CommandHistory::take_notice() { return std::exchange(notice_, {}); }

}  // namespace kvsim::sim::commands
