#include "models/codec/input_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kvsim::models {

std::optional<std::string> read_input_file(const std::string& path, std::size_t max_bytes, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buf[1 << 16];
  while (text.size() <= max_bytes) {
    const auto want = std::min(sizeof buf, max_bytes + 1 - text.size());
    const auto n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

LineRead read_line_capped(std::istream& in, std::string& line, std::size_t max_bytes) {
  line.clear();
  auto* buf = in.rdbuf();
  if (!in.good() || !buf) return LineRead::End;
  bool any = false, too_long = false;
  for (;;) {
    const auto c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      if (!any) {
        in.setstate(std::ios::failbit);
        return LineRead::End;
      }
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.size() < max_bytes) line.push_back(static_cast<char>(c));
    else too_long = true;
  }
  return too_long ? LineRead::TooLong : LineRead::Line;
}

}  // namespace kvsim::models
