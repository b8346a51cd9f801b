#include "models/codec/problem.hpp"

namespace kvsim::models {

std::string Problem::str() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (at.line > 0) out += ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

std::string join_lines(const Problems& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += p.str();
  }
  return out;
}

}  // namespace kvsim::models
