#pragma once
// The shell's input (`kvsim shell`, `kvsim lab start`): one command per line,
// read with the command language's cap on a line's length, so that input
// without newlines (a pasted binary, /dev/zero) cannot fill the memory.
#include <cstddef>
#include <istream>
#include <string>

namespace kvsim::sim::commands {

// Far longer than any command: the longest in the labs and scenarios is 43 bytes.
inline constexpr std::size_t kMaxCommandLineBytes = 64 << 10;

// The refusal of input line `number` for being past the cap, located as a
// file's error is ("error: <stdin>:LINE:COL: ...").
std::string too_long_line_error(std::size_t number);

class CommandInput {
 public:
  explicit CommandInput(std::istream& in) : in_(in) {}
  // The next line, false at the end of the input. A line past the cap is
  // read to its end and not returned: `error` says so, located
  // ("error: <stdin>:LINE:COL: ..."), and `line` is empty.
  bool next(std::string& line, std::string& error);

 private:
  std::istream& in_;
  std::size_t number_ = 0;
};

}  // namespace kvsim::sim::commands
