#pragma once
// The guest's end of a serial line in canonical mode, as a getty or a shell
// reads it: typed bytes arrive one at a time; the line discipline echoes them
// (not while echo is off, as for a password), erases on backspace (DEL or
// ^H) and ^U, answers ^C with "^C" and a fresh line, drops escape sequences
// (arrow keys), and hands over each line completed by Enter (CR, LF or CRLF).
// Output the other way gets ONLCR: "\n" becomes "\r\n". Pure.
#include <functional>
#include <string>

namespace kvsim::sim::guest {

class TtyLine {
 public:
  // What one complete line makes the guest print (its answer and next prompt).
  using LineHandler = std::function<std::string(const std::string& line)>;
  // An interrupted line (^C): what the guest prints after "^C\r\n" (a fresh prompt).
  using InterruptHandler = std::function<std::string()>;

  // Feeds typed bytes; returns what goes back to the terminal, in order (echo,
  // then each completed line's answer). `echo` is asked before each byte, so a
  // line that asks for a password turns echo off for the next one.
  std::string feed(const std::string& bytes, const std::function<bool()>& echo, const LineHandler& on_line,
                   const InterruptHandler& on_interrupt);

 private:
  std::string line_;
  int escape_ = 0;        // 1: after ESC; 2: inside a CSI sequence (ESC [ ...)
  bool after_cr_ = false;  // a LF right after a CR ends no second line
};

// ONLCR: every "\n" not already preceded by "\r" becomes "\r\n".
std::string to_crlf(const std::string& text);

}  // namespace kvsim::sim::guest
