#include "sim/commands/create_config_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "models/base64.hpp"
#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"
#include "models/core.hpp"

namespace kvsim::sim::commands {
namespace {

struct Request {
  bool secret = false;  // else a ConfigMap
  std::vector<std::string> names;
  std::string ns = "default";
  std::string type;  // secrets only (--type)
  std::vector<std::string> literals, files;
};

// kubectl's flag spellings: --flag=value or --flag value; -n NS.
std::string read_args(const std::vector<std::string>& args, std::size_t first, Request& r) {
  for (std::size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!a.starts_with("-")) {
      r.names.push_back(a);
      continue;
    }
    std::string flag = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) flag = a.substr(0, eq), value = a.substr(eq + 1), has_value = true;
    const bool known = flag == "--from-literal" || flag == "--from-file" || flag == "-n" || flag == "--namespace" ||
                       (r.secret && flag == "--type");
    if (!known) return fmt::format("error: unknown flag: {}", flag);
    if (!has_value) {
      if (i + 1 >= args.size()) return fmt::format("error: flag needs an argument: {}", flag);
      value = args[++i];
    }
    if (flag == "--from-literal") r.literals.push_back(value);
    else if (flag == "--from-file") r.files.push_back(value);
    else if (flag == "--type") r.type = value;
    else r.ns = value;
  }
  if (r.names.size() != 1) return fmt::format("error: exactly one NAME is required, got {}", r.names.size());
  return {};
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

// The data being built, with kubectl's checks as each key is added.
class Entries {
 public:
  Entries(const Request& r) : r_(r) {}
  std::string add(const std::string& key, std::string value) {
    const std::string kind = r_.secret ? "Secret" : "ConfigMap";
    if (auto err = models::check_config_key(key); !err.empty())
      return r_.secret ? fmt::format("error: \"{}\" is not valid key name for a Secret {}", key, err)
                       : fmt::format("error: \"{}\" is not a valid key name for a ConfigMap: {}", key, err);
    if (text_.contains(key) || binary_.contains(key))
      return r_.secret ? fmt::format("error: cannot add key {}, another key by that name already exists", key)
                       : fmt::format("error: cannot add key \"{}\", another key by that name already exists in {} for "
                                     "{} \"{}\"",
                                     key, text_.contains(key) ? "Data" : "BinaryData", kind, r_.names.front());
    // A ConfigMap keeps text in data and anything else in binaryData.
    if (!r_.secret && !valid_utf8(value)) binary_[key] = models::base64_encode(value);
    else text_[key] = std::move(value);
    return {};
  }
  std::map<std::string, std::string> text_, binary_;

 private:
  const Request& r_;
};

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string add_file(Entries& e, const std::string& source) {
  std::string key, path = source;
  if (auto eq = source.find('='); eq != std::string::npos) {
    key = source.substr(0, eq), path = source.substr(eq + 1);
    if (key.empty()) return fmt::format("error: key name for file path {} missing", path);
    if (path.empty()) return fmt::format("error: file path for key name {} missing", key);
  }
  std::error_code ec;
  if (key.empty() && std::filesystem::is_directory(path, ec)) {
    // Every regular file of the directory, named by its file name, in name order.
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec))
      if (entry.is_regular_file(ec)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (!models::check_config_key(f.filename().string()).empty()) continue;  // kubectl skips such names
      if (auto err = add_file(e, f.string()); !err.empty()) return err;
    }
    return {};
  }
  std::string read_error;
  auto bytes = models::read_input_file(path, models::InputLimits{}.max_bytes, read_error);
  if (!bytes) return fmt::format("error: error reading {}: {}", path, lower_first(read_error));
  if (key.empty()) key = std::filesystem::path(path).filename().string();
  return e.add(key, std::move(*bytes));
}

// The API error as client-go's StatusError prints it (kubectl wraps it).
std::string status_text(const api::WriteResult& r) {
  if (r.code == 422 && !r.invalid_kind.empty() && !r.causes.empty()) {
    std::string causes;
    for (const auto& c : r.causes) causes += (causes.empty() ? "" : ", ") + c;
    return fmt::format("{} \"{}\" is invalid: {}", r.invalid_kind, r.invalid_name,
                       r.causes.size() == 1 ? causes : "[" + causes + "]");
  }
  return r.error;
}

}  // namespace

bool is_create_config(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "secret" || args[0] == "configmap" || args[0] == "cm");
}

Outcome create_config_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Request r;
  r.secret = args[0] == "secret";
  std::size_t first = 1;
  if (r.secret) {
    if (args.size() < 2 || args[1].starts_with("-"))
      return {{}, "error: create secret needs a type: generic (kubectl also has docker-registry and tls)"};
    if (args[1] == "docker-registry" || args[1] == "tls")
      return {{}, fmt::format("error: kvsim's shell creates generic Secrets only; write the {} Secret as a manifest "
                              "(type kubernetes.io/{}) and apply it",
                              args[1], args[1] == "tls" ? "tls" : "dockerconfigjson")};
    if (args[1] != "generic") {
      std::string rest;
      for (std::size_t i = 1; i < args.size(); ++i) rest += (rest.empty() ? "" : " ") + args[i];
      return {{}, fmt::format("error: unknown command \"{}\"", rest)};
    }
    first = 2;
  }
  if (auto err = read_args(args, first, r); !err.empty()) return {{}, err};
  Entries entries(r);
  for (const auto& literal : r.literals) {
    const auto eq = literal.find('=');
    if (eq == std::string::npos || eq == 0)
      return {{}, fmt::format("error: invalid literal source {}, expected key=value", literal)};
    if (auto err = entries.add(literal.substr(0, eq), literal.substr(eq + 1)); !err.empty()) return {{}, err};
  }
  for (const auto& file : r.files)
    if (auto err = add_file(entries, file); !err.empty()) return {{}, err};

  std::shared_ptr<models::Object> obj;
  if (r.secret) {
    auto s = std::make_shared<models::Secret>();
    for (const auto& [k, v] : entries.text_) s->data[k] = models::base64_encode(v);
    s->type = r.type;
    obj = s;
  } else {
    auto cm = std::make_shared<models::ConfigMap>();
    cm->data = entries.text_;
    if (!entries.binary_.empty()) {
      cm->binaryData = models::Json::object();
      for (const auto& [k, v] : entries.binary_) cm->binaryData[k] = v;
    }
    obj = cm;
  }
  obj->metadata.name = r.names.front();
  obj->metadata.namespace_ = r.ns;
  const std::string what = r.secret ? "secret" : "configmap";
  auto written = cluster.store().create(obj, api::Cause{"user", "", "create " + what + " " + r.names.front()});
  if (!written.ok())
    return {{}, fmt::format("error: failed to create {}{} {}", what, r.secret ? "" : ":", status_text(written))};
  return {fmt::format("{}/{} created\n", what, r.names.front()), {}};
}

}  // namespace kvsim::sim::commands
