#include "sim/client/vnc_proxy.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "sim/client/console_session.hpp"
#include "sim/client/subresource_stream.hpp"

namespace kvsim::sim::client {
namespace {

std::string find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::string list = path;
  std::size_t i = 0;
  while (i <= list.size()) {
    auto end = list.find(':', i);
    if (end == std::string::npos) end = list.size();
    const auto candidate = std::filesystem::path(list.substr(i, end - i)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    i = end + 1;
  }
  return {};
}

void send_all(int fd, const std::string& data) {
  std::size_t at = 0;
  while (at < data.size()) {
    const auto n = ::send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return;
    at += static_cast<std::size_t>(n);
  }
}

}  // namespace

int run_vnc(const KubeConfig& config, const std::string& ns, const std::string& name, const VncOptions& options) {
  StreamRefusal refused;
  std::string error;
  auto stream = SubresourceStream::open(config, ns, name, "vnc", refused, error);
  if (!stream) {
    const std::string why = refused.status ? stream_refusal_text(refused.status, refused.content_type, refused.body) : error;
    std::cerr << fmt::format("Can't access VMI {}: {}\n", name, why);
    return 1;
  }
  const std::string address = options.proxy_only ? options.address : "127.0.0.1";
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(options.port));
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1 ||
      ::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(listener, 1) != 0) {
    std::cerr << fmt::format("Can't listen on unix socket: listen tcp {}:{}: {}\n", address, options.port,
                             std::strerror(errno));
    ::close(listener);
    return 1;
  }
  socklen_t len = sizeof sa;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len);
  const int port = ntohs(sa.sin_port);
  pid_t viewer = -1;
  if (options.proxy_only) {
    std::cout << fmt::format("{{\"port\":{}}}\n", port) << std::flush;
  } else {
    std::string program = find_in_path("remote-viewer");
    std::string arg = fmt::format("vnc://127.0.0.1:{}", port);
    if (program.empty()) {
      program = find_in_path("vncviewer");
      arg = fmt::format("127.0.0.1:{}", port);
    }
    if (program.empty()) {
      std::cerr << "Error encountered: could not find remote-viewer or vncviewer binary in $PATH\n";
      ::close(listener);
      return 1;
    }
    viewer = ::fork();
    if (viewer == 0) {
      ::execl(program.c_str(), program.c_str(), arg.c_str(), static_cast<char*>(nullptr));
      std::_Exit(127);
    }
  }
  // One viewer; without --proxy-only it has 60 s to connect (virtctl's LISTEN_TIMEOUT).
  pollfd pfd{listener, POLLIN, 0};
  if (::poll(&pfd, 1, options.proxy_only ? -1 : 60000) <= 0) {
    std::cerr << "Error encountered: no VNC viewer connected within 60s\n";
    ::close(listener);
    return 1;
  }
  const int client = ::accept(listener, nullptr, nullptr);
  ::close(listener);
  if (client < 0) {
    std::cerr << fmt::format("Error encountered: accept: {}\n", std::strerror(errno));
    return 1;
  }
  auto* s = stream.get();
  std::thread([client, s] {
    char buf[16384];
    while (true) {
      const auto n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) break;
      s->send(std::string(buf, static_cast<std::size_t>(n)));
    }
    s->stop();  // the viewer closed
  }).detach();
  const auto ended = stream->run([client](const std::string& data) { send_all(client, data); });
  ::shutdown(client, SHUT_RDWR);
  ::close(client);
  if (viewer > 0) ::waitpid(viewer, nullptr, 0);
  if (!ended.empty()) {
    std::cerr << "Error encountered: " << ended << "\n";
    return 1;
  }
  return 0;
}

}  // namespace kvsim::sim::client
