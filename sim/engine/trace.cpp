#include "sim/engine/trace.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace kvsim::sim::engine {

std::string to_json_line(const TraceRecord& r) {
  nlohmann::ordered_json j;
  j["t"] = std::round(r.time * 1000.0) / 1000.0;
  j["component"] = r.component;
  j["kind"] = r.kind;
  if (!r.namespace_.empty()) j["namespace"] = r.namespace_;
  j["name"] = r.name;
  if (!r.uid.empty()) j["uid"] = r.uid;
  j["change"] = r.change;
  if (!r.reason.empty()) j["reason"] = r.reason;
  return j.dump();
}

std::string to_timeline_line(const TraceRecord& r) {
  const std::string object = r.namespace_.empty() ? r.kind + "/" + r.name : r.kind + " " + r.namespace_ + "/" + r.name;
  std::string line = fmt::format("{:>9.3f}s  {:<24} {:<52} {}", r.time, r.component, object, r.change);
  if (!r.reason.empty()) line += "  (" + r.reason + ")";
  return line;
}

void Trace::record(TraceRecord r) {
  if (file_) {
    const auto line = to_json_line(r);
    if (std::fputs(line.c_str(), file_) == EOF || std::fputc('\n', file_) == EOF) fail_file(errno);
  }
  ++count_;
  if (!keep_) {
    if (listener_) listener_(r);
    return;
  }
  records_.push_back(std::move(r));
  if (listener_) listener_(records_.back());
}

bool Trace::open_file(const std::string& path) {
  close_file();
  file_ = std::fopen((path + ".partial").c_str(), "w");
  if (!file_) return false;
  path_ = path;
  // A large buffer: a scale run writes millions of lines, each a write(2) per 4 KiB otherwise.
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  return file_ != nullptr;
}

void Trace::fail_file(int error) {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  std::remove((path_ + ".partial").c_str());
  file_error_ = fmt::format("could not write the trace to {}: {}; it was not written (no partial file is left)", path_,
                            std::strerror(error));
}

void Trace::close_file() {
  if (!file_) return;
  // Flushed and synced before the rename, so that even a crash of the machine
  // leaves the old file or the whole new one.
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) return fail_file(errno);
  if (std::fclose(std::exchange(file_, nullptr)) != 0) return fail_file(errno);
  if (std::rename((path_ + ".partial").c_str(), path_.c_str()) != 0) fail_file(errno);
}

}  // namespace kvsim::sim::engine
