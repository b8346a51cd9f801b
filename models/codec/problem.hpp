#pragma once
// A located problem with user input: "file:line:col: field.path: message".
#include <string>
#include <vector>

namespace kvsim::models {

struct Location {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

struct Problem {
  std::string file;
  Location at;
  std::string path;     // field path, e.g. spec.template.spec.domain
  std::string message;  // what is wrong and what would be valid

  // One line, as every user-facing error of kvsim reads.
  std::string str() const;
};

using Problems = std::vector<Problem>;

std::string join_lines(const Problems& problems);

}  // namespace kvsim::models
