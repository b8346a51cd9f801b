#pragma once
// Command-line flags shared by every command of the language, spelled as
// kubectl spells them: `-n NS`, `--namespace=NS`, `-o wide`, `--force`,
// `--grace-period=0`, `--cascade=orphan`, `--replicas=3`, ...
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kvsim::sim::commands {

struct Flags {
  std::vector<std::string> positional;
  std::string ns = "default";
  bool ns_given = false;  // -n/--namespace was on the line (else a client's context namespace applies)
  bool all_namespaces = false;
  std::string output;
  std::string selector;
  std::string file;
  bool all = false;
  // Other long flags: switches (`--force`) and valued ones (`--cascade=orphan`).
  std::set<std::string> switches;
  std::map<std::string, std::string> values;
  std::string error;

  bool has(const std::string& name) const { return switches.contains(name); }
  std::optional<std::string> value(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  // An integer flag; sets `error` when the value is not an integer.
  std::optional<long long> integer(const std::string& name, std::string& error) const;
};

// Long flags that take no value; every other long flag takes one
// (`--name=value` or `--name value`).
inline const std::set<std::string>& switch_flags() {
  static const std::set<std::string> names = {"all",   "force",  "ignore-daemonsets", "delete-emptydir-data",
                                              "overwrite", "watch", "dry-run",      "now", "proxy-only",
                                              "show-labels", "paused", "client"};
  return names;
}

Flags parse_flags(const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
