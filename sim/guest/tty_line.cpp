#include "sim/guest/tty_line.hpp"

namespace kvsim::sim::guest {

std::string TtyLine::feed(const std::string& bytes, const std::function<bool()>& echo, const LineHandler& on_line,
                          const InterruptHandler& on_interrupt) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    const bool cr_before = after_cr_;
    after_cr_ = false;
    if (escape_ == 1) {
      escape_ = c == '[' ? 2 : 0;  // ESC x: a two-byte sequence, dropped
      continue;
    }
    if (escape_ == 2) {
      if (c >= 0x40 && c <= 0x7e) escape_ = 0;  // the CSI's final byte
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\n' && cr_before) continue;
      after_cr_ = c == '\r';
      // Enter always moves to a new line: echoed, or printed by the program that read the password.
      out += "\r\n";
      const std::string line = line_;
      line_.clear();
      out += to_crlf(on_line(line));
      continue;
    }
    const bool echoing = echo();
    if (c == 0x7f || c == 0x08) {
      if (line_.empty()) continue;
      // One UTF-8 character: its continuation bytes go with it.
      while (!line_.empty() && (static_cast<unsigned char>(line_.back()) & 0xc0) == 0x80) line_.pop_back();
      if (!line_.empty()) line_.pop_back();
      if (echoing) out += "\b \b";
    } else if (c == 0x15) {  // ^U: kill the line
      if (echoing)
        for (std::size_t i = 0; i < line_.size(); ++i) out += "\b \b";
      line_.clear();
    } else if (c == 0x03) {  // ^C
      line_.clear();
      out += "^C\r\n" + to_crlf(on_interrupt());
    } else if (c == 0x1b) {
      escape_ = 1;
    } else if (c >= 0x20 || c == '\t') {
      line_ += ch;
      if (echoing) out += ch;
    }
    // Other control characters (^D, ^Z, ...) do nothing on this line.
  }
  return out;
}

std::string to_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

}  // namespace kvsim::sim::guest
