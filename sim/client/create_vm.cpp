#include "sim/client/create_vm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>
#include <set>

#include "models/codec/yaml_writer.hpp"
#include "models/names.hpp"
#include "models/quantity.hpp"

namespace kvsim::sim::client {

namespace {

using models::Json;

// cobra/pflag: each flag the command defines, and whether it takes a value.
const std::map<std::string, bool>& known_flags() {
  static const std::map<std::string, bool> flags = {
      {"name", true},           {"run-strategy", true},         {"termination-grace-period", true},
      {"memory", true},         {"instancetype", true},         {"infer-instancetype", false},
      {"infer-instancetype-from", true}, {"preference", true},  {"infer-preference", false},
      {"infer-preference-from", true},   {"volume-containerdisk", true}, {"volume-pvc", true},
      {"volume-import", true},  {"volume-sysprep", true},       {"user", true},
      {"password-file", true},  {"ssh-key", true},              {"ga-manage-ssh", false},
      {"access-cred", true},    {"cloud-init", true},           {"cloud-init-user-data", true},
      {"cloud-init-network-data", true}, {"volume-datasource", true}, {"volume-clone-pvc", true},
      {"volume-blank", true}};
  return flags;
}

// The flags as given, in order (repeatable ones keep every value).
struct Given {
  std::vector<std::pair<std::string, std::string>> flags;
  bool changed(const std::string& f) const {
    return std::any_of(flags.begin(), flags.end(), [&f](const auto& p) { return p.first == f; });
  }
  std::string last(const std::string& f, std::string fallback = {}) const {
    for (auto it = flags.rbegin(); it != flags.rend(); ++it)
      if (it->first == f) return it->second;
    return fallback;
  }
  std::vector<std::string> all(const std::string& f) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : flags)
      if (k == f) out.push_back(v);
    return out;
  }
};

std::string parse_args(const std::vector<std::string>& args, Given& g) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (!a.starts_with("--")) {
      if (a.starts_with("-") && a.size() > 1) return fmt::format("unknown shorthand flag: '{}' in {}", a[1], a);
      return fmt::format("unknown command \"{}\" for \"virtctl create vm\"", a);
    }
    std::string name = a.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto it = known_flags().find(name);
    if (it == known_flags().end()) return "unknown flag: --" + name;
    if (it->second && !inline_value) {
      if (i + 1 >= args.size()) return "flag needs an argument: --" + name;
      value = args[++i];
    }
    if (!it->second) {
      if (!inline_value) value = "true";
      if (value != "true" && value != "false")
        return fmt::format("invalid argument \"{}\" for \"--{}\" flag: strconv.ParseBool: parsing \"{}\": invalid syntax",
                           value, name, value);
    }
    g.flags.emplace_back(name, value);
  }
  return "";
}

// cobra's MarkFlagsMutuallyExclusive check, with its message.
std::string exclusive(const Given& g, std::vector<std::string> group) {
  std::vector<std::string> set;
  for (const auto& f : group)
    if (g.changed(f)) set.push_back(f);
  if (set.size() < 2) return "";
  std::sort(set.begin(), set.end());
  std::string all, both;
  for (const auto& f : group) all += (all.empty() ? "" : " ") + f;
  for (const auto& f : set) both += (both.empty() ? "" : " ") + f;
  return fmt::format("if any flags in the group [{}] are set none of the others can be; [{}] were all set", all, both);
}

std::string flag_err(const std::string& flag, const std::string& message) {
  return fmt::format("failed to parse \"--{}\" flag: {}", flag, message);
}

// params.split / params.Map: "key:value,key:value", each key one of `allowed`.
std::optional<std::map<std::string, std::string>> split_params(const std::string& flag, const std::string& text,
                                                               const std::set<std::string>& allowed,
                                                               std::string& error) {
  if (text.empty()) {
    error = flag_err(flag, "params may not be empty");
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const auto param = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto colon = param.find(':');
    if (colon == std::string::npos) {
      error = flag_err(flag, "params need to have at least one colon: " + param);
      return std::nullopt;
    }
    out[param.substr(0, colon)] = param.substr(colon + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::string unknown;
  for (const auto& [k, v] : out)
    if (!allowed.contains(k)) unknown += (unknown.empty() ? "" : ",") + k + ":" + v;
  if (!unknown.empty()) {
    error = flag_err(flag, "unknown param(s): " + unknown);
    return std::nullopt;
  }
  return out;
}

struct Split {
  std::string prefix, name, error;
};
// params.SplitPrefixedName.
Split split_prefixed(const std::string& s) {
  const auto n = std::count(s.begin(), s.end(), '/');
  if (n > 1) return {{}, {}, fmt::format("invalid count {} of slashes in prefix/name", n)};
  Split r;
  if (n == 1) {
    r.prefix = s.substr(0, s.find('/'));
    r.name = s.substr(s.find('/') + 1);
  } else {
    r.name = s;
  }
  if (r.name.empty()) r.error = "name cannot be empty";
  return r;
}

std::optional<std::int64_t> parse_bootorder(const std::string& flag, const std::map<std::string, std::string>& p,
                                            std::string& error) {
  auto it = p.find("bootorder");
  if (it == p.end()) return std::nullopt;
  const auto& v = it->second;
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 10 ||
      std::stoll(v) > 4294967295LL) {
    error = flag_err(flag, fmt::format("failed to parse param \"bootorder\": strconv.ParseUint: parsing \"{}\": {}", v,
                                       v.find_first_not_of("0123456789") == std::string::npos && !v.empty()
                                           ? "value out of range"
                                           : "invalid syntax"));
    return std::nullopt;
  }
  return std::stoll(v);
}

class Builder {
 public:
  Builder(Given g, const std::function<std::string()>& random) : g_(std::move(g)), random_(random) {}

  std::string build(const std::string& ns, Json& vm);
  std::string warnings;

 private:
  // A copy: --access-cred sets --cloud-init and --ga-manage-ssh when they were not given,
  // as upstream's cmd.Flags().Set does (they then count as given).
  Given g_;
  const std::function<std::string()>& random_;
  std::map<std::int64_t, std::string> boot_orders_;
  Json volumes_ = Json::array(), disks_ = Json::array(), dvts_ = Json::array();

  bool volume_exists(const std::string& name) const {
    return std::any_of(volumes_.begin(), volumes_.end(), [&](const Json& v) { return v["name"] == name; });
  }
  std::string add_disk(const std::string& flag, const std::string& name, std::optional<std::int64_t> boot) {
    if (!boot) return "";
    if (*boot == 0) return flag_err(flag, "bootorder must be greater than 0");
    if (boot_orders_.contains(*boot)) return flag_err(flag, fmt::format("bootorder {} was specified multiple times", *boot));
    disks_.push_back(Json{{"name", name}, {"bootOrder", *boot}});
    boot_orders_[*boot] = name;
    return "";
  }
  std::string check_name(const std::string& flag, const std::string& name) const {
    if (auto e = models::check_dns1123_label(name); !e.empty())
      return flag_err(flag, fmt::format("invalid name \"{}\": {}", name, e));
    if (volume_exists(name)) return flag_err(flag, fmt::format("there is already a volume with name \"{}\"", name));
    return "";
  }
  std::string containerdisks(const std::string& vm_name);
  std::string pvcs();
  std::string imports(std::vector<std::string> specs);
  std::string cloud_init();
  std::string access_creds(Json& creds);
};

std::string lowered(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// withAccessCredential: one spec.template.spec.accessCredentials entry per --access-cred
// (type ssh, the default, or password; ssh's method ga, the default, nocloud or configdrive).
std::string Builder::access_creds(Json& creds) {
  const std::string flag = "access-cred";
  const std::string user_invalid = "user cannot be specified with selected access credential type and method";
  for (const auto& text : g_.all(flag)) {
    std::string error;
    auto p = split_params(flag, text, {"type", "src", "method", "user"}, error);
    if (!p) return error;
    const std::string source = (*p)["src"], type = (*p)["type"], method = (*p)["method"], user_param = (*p)["user"];
    if (source.empty()) return flag_err(flag, "src must be specified");
    auto src = split_prefixed(source);
    if (!src.error.empty()) return flag_err(flag, "src invalid: " + src.error);
    if (!src.prefix.empty()) return flag_err(flag, fmt::format("not allowed to specify namespace of secret \"{}\"", src.name));
    const Json secret{{"secret", {{"secretName", source}}}};
    if (lowered(type) == "ssh" || type.empty()) {
      Json propagation;
      if (lowered(method) == "ga" || method.empty()) {
        // The user from --user, overridden by the param.
        const std::string user = user_param.empty() ? g_.last("user") : user_param;
        if (user.empty())
          return flag_err(flag, "user must be specified with access credential ssh method ga (\"--user\" flag or param \"user\")");
        // The guest agent must be let write keys (SELinux boolean virt_qemu_ga_manage_ssh).
        if (!g_.changed("ga-manage-ssh")) g_.flags.emplace_back("ga-manage-ssh", "true");
        propagation = Json{{"qemuGuestAgent", {{"users", Json::array({user})}}}};
      } else if (lowered(method) == "nocloud" || lowered(method) == "configdrive") {
        if (!user_param.empty()) return flag_err(flag, user_invalid);
        // The cloud-init data source the method needs, unless --cloud-init chose one.
        const std::string wanted = lowered(method);
        if (!g_.changed("cloud-init")) g_.flags.emplace_back("cloud-init", wanted);
        if (lowered(g_.last("cloud-init")) != wanted)
          return flag_err(flag, fmt::format("method param and value passed to --cloud-init have to match: {} vs {}", wanted,
                                            g_.last("cloud-init")));
        propagation = Json{{wanted == "nocloud" ? "noCloud" : "configDrive", Json::object()}};
      } else {
        return flag_err(flag, fmt::format("invalid access credentials ssh method \"{}\", supported values are: ga, "
                                          "nocloud, configdrive",
                                          method));
      }
      creds.push_back(Json{{"sshPublicKey", {{"source", secret}, {"propagationMethod", propagation}}}});
    } else if (lowered(type) == "password") {
      if (!method.empty() && lowered(method) != "ga")
        return flag_err(flag, fmt::format("invalid access credentials password method \"{}\", supported values are: ga",
                                          method));
      if (!user_param.empty()) return flag_err(flag, user_invalid);
      creds.push_back(Json{{"userPassword",
                            {{"source", secret}, {"propagationMethod", {{"qemuGuestAgent", Json::object()}}}}}});
    } else {
      return flag_err(flag, fmt::format("invalid access credential type \"{}\", supported values are: ssh, password", type));
    }
  }
  return "";
}

std::string Builder::containerdisks(const std::string& vm_name) {
  const std::string flag = "volume-containerdisk";
  int i = 0;
  for (const auto& text : g_.all(flag)) {
    std::string error;
    auto p = split_params(flag, text, {"name", "src", "bootorder"}, error);
    if (!p) return error;
    auto boot = parse_bootorder(flag, *p, error);
    if (!error.empty()) return error;
    if ((*p)["src"].empty()) return flag_err(flag, "src must be specified");
    std::string name = (*p)["name"].empty() ? fmt::format("{}-containerdisk-{}", vm_name, i) : (*p)["name"];
    ++i;
    if (auto e = check_name(flag, name); !e.empty()) return e;
    volumes_.push_back(Json{{"name", name}, {"containerDisk", {{"image", (*p)["src"]}}}});
    if (auto e = add_disk(flag, name, boot); !e.empty()) return e;
  }
  return "";
}

std::string Builder::pvcs() {
  const std::string flag = "volume-pvc";
  for (const auto& text : g_.all(flag)) {
    std::string error;
    auto p = split_params(flag, text, {"name", "src", "bootorder"}, error);
    if (!p) return error;
    auto boot = parse_bootorder(flag, *p, error);
    if (!error.empty()) return error;
    if ((*p)["src"].empty()) return flag_err(flag, "src must be specified");
    auto src = split_prefixed((*p)["src"]);
    if (!src.error.empty()) return flag_err(flag, "src invalid: " + src.error);
    if (!src.prefix.empty()) return flag_err(flag, fmt::format("not allowed to specify namespace of pvc \"{}\"", src.name));
    std::string name = (*p)["name"].empty() ? src.name : (*p)["name"];
    if (auto e = check_name(flag, name); !e.empty()) return e;
    volumes_.push_back(Json{{"name", name}, {"persistentVolumeClaim", {{"claimName", src.name}}}});
    if (auto e = add_disk(flag, name, boot); !e.empty()) return e;
  }
  return "";
}

// withImportedVolume: one dataVolumeTemplates entry and its volume per --volume-import.
std::string Builder::imports(std::vector<std::string> specs) {
  const std::string flag = "volume-import";
  for (const auto& text : specs) {
    std::string error;
    auto p = split_params(flag, text,
                          {"type", "name", "src", "size", "bootorder", "url", "secretref", "certconfigmap",
                           "imagestream", "pullmethod"},
                          error);
    if (!p) return error;
    auto type_it = p->find("type");
    if (type_it == p->end()) return flag_err(flag, "type must be specified");
    const std::string type = type_it->second;
    static const std::set<std::string> upstream_types = {"blank", "gcs", "http", "imageio", "pvc",
                                                         "registry", "s3", "vddk", "snapshot", "ds"};
    if (!upstream_types.contains(type))
      return flag_err(flag, fmt::format("invalid volume import type \"{}\", see help for supported values", type));
    auto boot = parse_bootorder(flag, *p, error);
    if (!error.empty()) return error;
    Json spec = Json::object();
    if (type == "ds" || type == "pvc" || type == "snapshot") {
      if ((*p)["src"].empty()) return flag_err(flag, "src must be specified");
      auto src = split_prefixed((*p)["src"]);
      if (!src.error.empty()) return flag_err(flag, "src invalid: " + src.error);
      if (type == "ds") {
        spec["sourceRef"] = Json{{"kind", "DataSource"}, {"name", src.name}};
        if (!src.prefix.empty()) spec["sourceRef"]["namespace"] = src.prefix;
      } else {
        if (src.prefix.empty())
          return flag_err(flag, fmt::format("namespace of {} \"{}\" must be specified", type, src.name));
        spec["source"] = Json{{type, {{"name", src.name}, {"namespace", src.prefix}}}};
      }
    } else if (type == "blank") {
      spec["source"] = Json{{"blank", Json::object()}};
    } else if (type == "http") {
      if ((*p)["url"].empty()) return flag_err(flag, "url is required with http volume source");
      Json http{{"url", (*p)["url"]}};
      if (!(*p)["secretref"].empty()) http["secretRef"] = (*p)["secretref"];
      if (!(*p)["certconfigmap"].empty()) http["certConfigMap"] = (*p)["certconfigmap"];
      spec["source"] = Json{{"http", http}};
    } else if (type == "registry") {
      const auto& pull = (*p)["pullmethod"];
      if (!pull.empty() && pull != "pod" && pull != "node") return flag_err(flag, "pullmethod must be set to pod or node");
      if ((*p)["url"].empty() == (*p)["imagestream"].empty())
        return flag_err(flag, "exactly one of url or imagestream must be defined");
      Json reg = Json::object();
      for (const auto& [param, field] : std::vector<std::pair<std::string, std::string>>{
               {"pullmethod", "pullMethod"}, {"certconfigmap", "certConfigMap"}, {"imagestream", "imageStream"},
               {"url", "url"}, {"secretref", "secretRef"}})
        if (!(*p)[param].empty()) reg[field] = (*p)[param];
      spec["source"] = Json{{"registry", reg}};
    } else {
      return flag_err(flag, fmt::format("volume import type \"{}\" is not supported by kvsim's virtctl yet", type));
    }
    const bool size_optional = type == "pvc" || type == "snapshot" || type == "ds";
    auto size_it = p->find("size");
    if (size_it == p->end() && !size_optional) return flag_err(flag, "size must be specified");
    std::string size;
    if (size_it != p->end()) {
      auto q = models::Quantity::parse(size_it->second);
      if (!q) return flag_err(flag, "failed to parse param \"size\": quantities must match the regular expression "
                                    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      size = q->text();
    }
    const std::string name = p->contains("name") ? (*p)["name"] : "imported-volume-" + random_();
    if (auto e = check_name(flag, name); !e.empty()) return e;
    spec["storage"] = Json{{"resources", size.empty() ? Json::object() : Json{{"requests", {{"storage", size}}}}}};
    dvts_.push_back(Json{{"metadata", {{"creationTimestamp", nullptr}, {"name", name}}}, {"spec", spec}});
    volumes_.push_back(Json{{"name", name}, {"dataVolume", {{"name", name}}}});
    if (auto e = add_disk(flag, name, boot); !e.empty()) return e;
  }
  return "";
}

// cloudInitConfig: a cloudinitdisk volume when any cloud-init flag is given.
std::string Builder::cloud_init() {
  const std::vector<std::string> related = {"user", "password-file", "ssh-key", "ga-manage-ssh", "cloud-init",
                                            "cloud-init-user-data", "cloud-init-network-data"};
  if (std::none_of(related.begin(), related.end(), [this](const auto& f) { return g_.changed(f); })) return "";
  if (volume_exists("cloudinitdisk")) return "there is already a volume with name \"cloudinitdisk\"";
  std::string type = g_.last("cloud-init", "nocloud");
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (type == "none") return "";
  if (type != "nocloud" && type != "configdrive")
    return flag_err("cloud-init", fmt::format("invalid cloud-init data source type \"{}\", supported values are: "
                                              "nocloud, configdrive, none",
                                              g_.last("cloud-init")));
  if (g_.changed("password-file"))
    return flag_err("password-file", "reading a password file is not supported by kvsim's virtctl");
  Json src = Json::object();
  if (auto net = g_.last("cloud-init-network-data"); !net.empty()) src["networkDataBase64"] = net;
  if (auto user_data = g_.last("cloud-init-user-data"); !user_data.empty()) {
    src["userDataBase64"] = user_data;
  } else {
    std::string config = "#cloud-config";
    if (auto user = g_.last("user"); !user.empty()) config += "\nuser: " + user;
    std::vector<std::string> keys;
    for (const auto& v : g_.all("ssh-key")) {
      // StringSlice: comma-separated values, each flag adding more.
      std::size_t start = 0;
      while (true) {
        const auto comma = v.find(',', start);
        keys.push_back(v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    if (!keys.empty()) {
      config += "\nssh_authorized_keys:";
      for (const auto& k : keys) config += "\n  - " + k;
    }
    if (g_.last("ga-manage-ssh") == "true")
      config += "\nruncmd:\n  - [ setsebool, -P, 'virt_qemu_ga_manage_ssh', 'on' ]";
    // isCloudInitSourceEmpty: only the header and no network data, and --cloud-init not given.
    if (config == "#cloud-config" && !src.contains("networkDataBase64") && !g_.changed("cloud-init")) return "";
    src["userData"] = config;
  }
  volumes_.push_back(Json{{"name", "cloudinitdisk"},
                          {type == "nocloud" ? "cloudInitNoCloud" : "cloudInitConfigDrive", src}});
  return "";
}

std::string Builder::build(const std::string& ns, Json& vm) {
  for (const auto& group : std::vector<std::vector<std::string>>{
           {"memory", "instancetype", "infer-instancetype", "infer-instancetype-from"},
           {"preference", "infer-preference", "infer-preference-from"},
           {"cloud-init-user-data", "user"},
           {"cloud-init-user-data", "password-file"},
           {"cloud-init-user-data", "ssh-key"},
           {"cloud-init-user-data", "ga-manage-ssh"}})
    if (auto e = exclusive(g_, group); !e.empty()) return e;

  const std::string name = g_.changed("name") && !g_.last("name").empty() ? g_.last("name") : "vm-" + random_();
  const std::string memory_text = g_.last("memory", "512Mi");
  auto memory = models::Quantity::parse(memory_text);
  if (!memory)
    return flag_err("memory", "quantities must match the regular expression "
                              "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  std::int64_t grace = 180;
  if (g_.changed("termination-grace-period")) {
    const auto v = g_.last("termination-grace-period");
    try {
      std::size_t used = 0;
      grace = std::stoll(v, &used);
      if (used != v.size()) throw std::invalid_argument(v);
    } catch (const std::exception&) {
      return fmt::format("invalid argument \"{}\" for \"--termination-grace-period\" flag: strconv.ParseInt: parsing "
                         "\"{}\": invalid syntax",
                         v, v);
    }
  }
  Json spec = Json::object();
  spec["runStrategy"] = "Always";
  Json domain{{"devices", Json::object()}, {"memory", {{"guest", memory->text()}}}, {"resources", Json::object()}};

  if (g_.changed("run-strategy")) {
    const auto want = g_.last("run-strategy");
    bool found = false;
    for (const char* s : {"Always", "Manual", "Halted", "Once", "RerunOnFailure"}) {
      std::string lower_s = s, lower_w = want;
      std::transform(lower_s.begin(), lower_s.end(), lower_s.begin(), ::tolower);
      std::transform(lower_w.begin(), lower_w.end(), lower_w.begin(), ::tolower);
      if (lower_s == lower_w) spec["runStrategy"] = s, found = true;
    }
    if (!found)
      return flag_err("run-strategy", fmt::format("invalid run strategy \"{}\", supported values are: Always, Manual, "
                                                  "Halted, Once, RerunOnFailure",
                                                  want));
  }
  const auto matcher = [&](const std::string& flag, const char* singular, const char* cluster,
                           const char* what) -> std::string {
    auto s = split_prefixed(g_.last(flag));
    if (!s.error.empty()) return flag_err(flag, s.error);
    std::transform(s.prefix.begin(), s.prefix.end(), s.prefix.begin(), ::tolower);
    if (!s.prefix.empty() && s.prefix != singular && s.prefix != cluster)
      return flag_err(flag, fmt::format("invalid {} kind \"{}\", supported values are: {}, {}", what, s.prefix,
                                        singular, cluster));
    Json m{{"name", s.name}};
    if (!s.prefix.empty()) m["kind"] = s.prefix;
    spec[flag] = m;
    return "";
  };
  if (g_.changed("instancetype")) {
    if (auto e = matcher("instancetype", "virtualmachineinstancetype", "virtualmachineclusterinstancetype",
                         "instancetype");
        !e.empty())
      return e;
    domain.erase("memory");
  }
  if (g_.changed("preference"))
    if (auto e = matcher("preference", "virtualmachinepreference", "virtualmachineclusterpreference", "preference");
        !e.empty())
      return e;
  if (auto e = containerdisks(name); !e.empty()) return e;
  if (auto e = pvcs(); !e.empty()) return e;
  // The deprecated aliases go first, each in front of --volume-import's own (aliasToVolumeImport).
  std::vector<std::string> import_specs = g_.all("volume-import");
  for (const auto& [flag, type] : std::vector<std::pair<std::string, std::string>>{
           {"volume-datasource", "ds"}, {"volume-clone-pvc", "pvc"}, {"volume-blank", "blank"}}) {
    if (!g_.changed(flag)) continue;
    warnings += fmt::format("Flag --{} has been deprecated, use flag --volume-import instead\n", flag);
    for (const auto& v : g_.all(flag)) {
      if (v.empty()) return flag_err("volume-import", "params may not be empty");
      import_specs.insert(import_specs.begin(), fmt::format("type:{},{}", type, v));
    }
  }
  if (auto e = imports(import_specs); !e.empty()) return e;
  if (g_.changed("volume-sysprep")) return "--volume-sysprep is not supported by kvsim's virtctl yet";
  Json access_credentials = Json::array();
  if (auto e = access_creds(access_credentials); !e.empty()) return e;
  if (auto e = cloud_init(); !e.empty()) return e;

  // inferFromVolume: by default from the first boot volume, ignoring failures.
  const bool explicit_it = g_.changed("infer-instancetype") || g_.changed("infer-instancetype-from");
  const bool explicit_pref = g_.changed("infer-preference") || g_.changed("infer-preference-from");
  const auto infer_from = [&](const std::string& from_flag, std::string& volume) -> std::string {
    volume = g_.last(from_flag);
    if (volume.empty()) {
      if (volumes_.empty()) return "at least one volume is needed to infer an instance type or preference";
      volume = boot_orders_.empty() ? volumes_[0]["name"].get<std::string>() : boot_orders_.begin()->second;
    }
    const Json* vol = nullptr;
    for (const auto& v : volumes_)
      if (v["name"] == volume) vol = &v;
    if (!vol) return fmt::format("there is no volume with name \"{}\"", volume);
    if (vol->contains("persistentVolumeClaim")) return "";
    if (!vol->contains("dataVolume"))
      return "inference of instancetype or preference works only with datasources, datavolumes or pvcs";
    for (const auto& t : dvts_) {
      if (t["metadata"]["name"] != volume) continue;
      const auto& s = t["spec"];
      const bool ok = (s.contains("source") && (s["source"].contains("pvc") || s["source"].contains("registry") ||
                                                s["source"].contains("snapshot"))) ||
                      (s.contains("sourceRef") && s["sourceRef"].value("kind", "") == "DataSource");
      if (!ok)
        return "this datavolume is not valid to infer an instancetype or preference from (source needs to be PVC, "
               "Registry or Snapshot, sourceRef needs to be DataSource)";
    }
    return "";
  };
  if (g_.last("infer-instancetype", "true") == "true" && !g_.changed("instancetype") && !g_.changed("memory")) {
    std::string volume;
    auto e = infer_from("infer-instancetype-from", volume);
    if (!e.empty() && explicit_it) return e;
    if (e.empty()) {
      spec["instancetype"] = Json{{"inferFromVolume", volume}};
      if (explicit_it) domain.erase("memory");
      else spec["instancetype"]["inferFromVolumeFailurePolicy"] = "Ignore";
    }
  }
  if (g_.last("infer-preference", "true") == "true" && !g_.changed("preference")) {
    std::string volume;
    auto e = infer_from("infer-preference-from", volume);
    if (!e.empty() && explicit_pref) return e;
    if (e.empty()) {
      spec["preference"] = Json{{"inferFromVolume", volume}};
      if (!explicit_pref) spec["preference"]["inferFromVolumeFailurePolicy"] = "Ignore";
    }
  }

  if (!disks_.empty()) domain["devices"]["disks"] = disks_;
  Json template_spec{{"domain", domain}, {"terminationGracePeriodSeconds", grace}};
  if (!access_credentials.empty()) template_spec["accessCredentials"] = access_credentials;
  if (!volumes_.empty()) template_spec["volumes"] = volumes_;
  spec["template"] = Json{{"metadata", {{"creationTimestamp", nullptr}}}, {"spec", template_spec}};
  if (!dvts_.empty()) spec["dataVolumeTemplates"] = dvts_;
  Json metadata{{"creationTimestamp", nullptr}, {"name", name}};
  if (!ns.empty()) metadata["namespace"] = ns;
  vm = Json{{"apiVersion", "kubevirt.io/v1"}, {"kind", "VirtualMachine"}, {"metadata", metadata}, {"spec", spec},
            {"status", Json::object()}};
  return "";
}

}  // namespace

CreateVmResult create_vm_manifest(const std::vector<std::string>& args, const std::string& ns,
                                  const std::function<std::string()>& random_suffix) {
  CreateVmResult r;
  Given g;
  if (r.error = parse_args(args, g); !r.error.empty()) return r;
  Builder b(g, random_suffix);
  Json vm;
  if (r.error = b.build(ns, vm); !r.error.empty()) return r;
  r.warnings = b.warnings;
  r.manifest = models::to_yaml(vm);
  return r;
}

}  // namespace kvsim::sim::client
