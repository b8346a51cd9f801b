#pragma once
// Reading a file of user input whole, but never more than a cap: a huge file,
// or a device such as /dev/zero, stops one byte past it, so the parser's size
// cap reports it (located) instead of kvsim filling its memory first.
#include <cstddef>
#include <istream>
#include <optional>
#include <string>

namespace kvsim::models {

// The file's bytes, at most max_bytes + 1 of them; nullopt with the system's
// reason in `error` ("No such file or directory", "Is a directory") when it
// cannot be read.
std::optional<std::string> read_input_file(const std::string& path, std::size_t max_bytes, std::string& error);

// Reading a stream line by line (the shell's input, a trace) with a cap on a
// line's length: a longer line is read to its end but kept only up to the
// cap, and reported, so that input without newlines cannot fill the memory.
enum class LineRead { Line, TooLong, End };
LineRead read_line_capped(std::istream& in, std::string& line, std::size_t max_bytes);

}  // namespace kvsim::models
