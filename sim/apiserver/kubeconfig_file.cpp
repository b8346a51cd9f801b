#include "sim/apiserver/kubeconfig_file.hpp"

#include "models/base64.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace kvsim::sim::apiserver {

// One encoder for the project: models/base64 (Secrets' data uses it too).
std::string base64(const std::string& bytes) { return models::base64_encode(bytes); }

std::string kubeconfig_yaml(const KubeconfigSpec& spec) {
  return fmt::format(
      "apiVersion: v1\n"
      "kind: Config\n"
      "clusters:\n"
      "- name: kvsim\n"
      "  cluster:\n"
      "    server: {}\n"
      "    certificate-authority-data: {}\n"
      "users:\n"
      "- name: kvsim-admin\n"
      "  user:\n"
      "    token: {}\n"
      "contexts:\n"
      "- name: kvsim\n"
      "  context:\n"
      "    cluster: kvsim\n"
      "    user: kvsim-admin\n"
      "    namespace: {}\n"
      "current-context: kvsim\n",
      spec.server, base64(spec.ca_pem), spec.token, spec.ns);
}

std::string default_kubeconfig_path(int port) {
  const std::string name = fmt::format("kubeconfig-{}", port);
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime && std::filesystem::is_directory(runtime))
    return std::string(runtime) + "/kvsim/" + name;
  if (std::filesystem::is_directory("build")) return (std::filesystem::current_path() / "build" / name).string();
  return (std::filesystem::current_path() / name).string();
}

std::string write_file_atomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) return fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message());
  const std::string temp = path + ".partial";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return fmt::format("cannot write {}: {}", temp, std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd), ::unlink(temp.c_str());
      return fmt::format("cannot write {}: {}", temp, why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    return fmt::format("cannot write {}: {}", temp, std::strerror(errno));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    return fmt::format("cannot rename {} to {}: {}", temp, path, why);
  }
  return {};
}

}  // namespace kvsim::sim::apiserver
