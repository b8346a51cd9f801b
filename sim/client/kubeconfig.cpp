#include "sim/client/kubeconfig.hpp"
#include "models/codec/safe_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kvsim::sim::client {
namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A named entry of a kubeconfig list (clusters, users, contexts).
std::optional<YAML::Node> named(const YAML::Node& list, const std::string& name, const char* inner) {
  if (!list || !list.IsSequence()) return std::nullopt;
  for (const auto& item : list)
    if (item.IsMap() && item["name"] && item["name"].IsScalar() && item["name"].as<std::string>() == name)
      return item[inner] ? item[inner] : YAML::Node(YAML::NodeType::Map);
  return std::nullopt;
}

std::string scalar(const YAML::Node& map, const char* key) {
  return map && map.IsMap() && map[key] && map[key].IsScalar() ? map[key].as<std::string>() : std::string();
}

// Relative paths in a kubeconfig are relative to its own folder (as kubectl resolves them).
std::string resolve(const std::string& path, const std::string& file) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(file).parent_path() / path).string();
}

// A `*-data` field (base64) or its file twin; `what` names it in errors.
bool data_or_file(const YAML::Node& map, const char* data_key, const char* file_key, const std::string& file,
                  std::string& out, std::string& error) {
  if (auto data = scalar(map, data_key); !data.empty()) {
    bool ok = false;
    out = base64_decode(data, ok);
    if (!ok) error = fmt::format("{}: {} is not valid base64", file, data_key);
    return ok;
  }
  if (auto path = scalar(map, file_key); !path.empty()) {
    auto text = read_file(resolve(path, file));
    if (!text) {
      error = fmt::format("{}: {}: cannot read {}", file, file_key, resolve(path, file));
      return false;
    }
    out = *text;
  }
  return true;
}

}  // namespace

std::string base64_decode(const std::string& text, bool& ok) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = 0;
  ok = true;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    const auto at = alphabet.find(c);
    if (at == std::string::npos) {
      ok = false;
      return {};
    }
    value = (value << 6) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xff);
    }
  }
  return out;
}

std::string query_escape(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::optional<ServerUrl> parse_server_url(const std::string& url, std::string& error) {
  ServerUrl u;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    error = fmt::format("server \"{}\" has no scheme (expected https://HOST:PORT)", url);
    return std::nullopt;
  }
  u.scheme = url.substr(0, scheme_end);
  if (u.scheme != "https" && u.scheme != "http") {
    error = fmt::format("server \"{}\": unsupported scheme {}", url, u.scheme);
    return std::nullopt;
  }
  std::string rest = url.substr(scheme_end + 3);
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    u.prefix = rest.substr(slash);
    while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
    rest = rest.substr(0, slash);
  }
  if (!rest.empty() && rest.front() == '[') {  // [::1]:6443
    const auto close = rest.find(']');
    if (close == std::string::npos) {
      error = fmt::format("server \"{}\": unterminated [ in the host", url);
      return std::nullopt;
    }
    u.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') u.port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    u.host = rest.substr(0, colon);
    if (colon != std::string::npos) u.port = rest.substr(colon + 1);
  }
  if (u.port.empty()) u.port = u.scheme == "https" ? "443" : "80";
  if (u.host.empty()) {
    error = fmt::format("server \"{}\" has no host", url);
    return std::nullopt;
  }
  return u;
}

std::optional<KubeConfig> parse_kubeconfig(const std::string& text, const std::string& file, const std::string& context,
                                           std::string& error) {
  models::Problems problems;
  auto parsed = models::parse_yaml_document(text, file, problems);
  if (!parsed) {
    error = problems.empty() ? file + ": not a kubeconfig" : problems.front().str();
    return std::nullopt;
  }
  const YAML::Node root = *parsed;
  if (!root.IsMap()) {
    error = fmt::format("{}: not a kubeconfig (expected a map with clusters, users, contexts)", file);
    return std::nullopt;
  }
  KubeConfig c;
  c.file = file;
  c.context = context.empty() ? scalar(root, "current-context") : context;
  if (c.context.empty()) {
    error = fmt::format("{}: no current-context is set (kubectl config use-context NAME, or --context)", file);
    return std::nullopt;
  }
  const auto ctx = named(root["contexts"], c.context, "context");
  if (!ctx) {
    error = fmt::format("{}: context \"{}\" does not exist", file, c.context);
    return std::nullopt;
  }
  if (auto ns = scalar(*ctx, "namespace"); !ns.empty()) c.ns = ns;
  const std::string cluster_name = scalar(*ctx, "cluster"), user_name = scalar(*ctx, "user");
  const auto cluster = named(root["clusters"], cluster_name, "cluster");
  if (!cluster) {
    error = fmt::format("{}: context \"{}\" names cluster \"{}\", which does not exist", file, c.context, cluster_name);
    return std::nullopt;
  }
  c.server = scalar(*cluster, "server");
  if (c.server.empty()) {
    error = fmt::format("{}: cluster \"{}\" has no server", file, cluster_name);
    return std::nullopt;
  }
  c.insecure = scalar(*cluster, "insecure-skip-tls-verify") == "true";
  c.tls_server_name = scalar(*cluster, "tls-server-name");
  if (!data_or_file(*cluster, "certificate-authority-data", "certificate-authority", file, c.ca_pem, error))
    return std::nullopt;
  if (!user_name.empty()) {
    const auto user = named(root["users"], user_name, "user");
    if (!user) {
      error = fmt::format("{}: context \"{}\" names user \"{}\", which does not exist", file, c.context, user_name);
      return std::nullopt;
    }
    c.token = scalar(*user, "token");
    if (c.token.empty())
      if (auto token_file = scalar(*user, "tokenFile"); !token_file.empty()) {
        auto t = read_file(resolve(token_file, file));
        if (!t) {
          error = fmt::format("{}: tokenFile: cannot read {}", file, resolve(token_file, file));
          return std::nullopt;
        }
        c.token = *t;
        while (!c.token.empty() && (c.token.back() == '\n' || c.token.back() == '\r')) c.token.pop_back();
      }
    if (!data_or_file(*user, "client-certificate-data", "client-certificate", file, c.client_cert_pem, error) ||
        !data_or_file(*user, "client-key-data", "client-key", file, c.client_key_pem, error))
      return std::nullopt;
  }
  return c;
}

std::optional<KubeConfig> load_kubeconfig(const std::string& flag_path, const std::string& context, std::string& error) {
  std::string path = flag_path;
  if (path.empty()) {
    if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
      // kubectl merges the list; kvsim takes the first file that exists.
      std::stringstream list(env);
      for (std::string item; std::getline(list, item, ':');)
        if (!item.empty() && std::filesystem::exists(item)) {
          path = item;
          break;
        }
      if (path.empty()) {
        error = fmt::format("KUBECONFIG={} names no file that exists", env);
        return std::nullopt;
      }
    } else if (const char* home = std::getenv("HOME")) {
      path = std::string(home) + "/.kube/config";
    }
  }
  auto text = path.empty() ? std::nullopt : read_file(path);
  if (!text) {
    error = path.empty() ? std::string("no kubeconfig: set KUBECONFIG or pass --kubeconfig FILE")
                         : fmt::format("cannot read kubeconfig {}: set KUBECONFIG or pass --kubeconfig FILE "
                                       "(`kvsim serve` prints the export line)",
                                       path);
    return std::nullopt;
  }
  return parse_kubeconfig(*text, path, context, error);
}

}  // namespace kvsim::sim::client
