#include "sim/commands/command_input.hpp"

#include <fmt/format.h>

#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::commands {

std::string too_long_line_error(std::size_t number) {
  return fmt::format("error: <stdin>:{}:{}: the line is longer than the cap of {}; it was not run", number,
                     kMaxCommandLineBytes + 1, models::describe_bytes(kMaxCommandLineBytes));
}

bool CommandInput::next(std::string& line, std::string& error) {
  error.clear();
  const auto read = models::read_line_capped(in_, line, kMaxCommandLineBytes);
  if (read == models::LineRead::End) return false;
  ++number_;
  if (read == models::LineRead::TooLong) {
    line.clear();
    error = too_long_line_error(number_);
  }
  return true;
}

}  // namespace kvsim::sim::commands
