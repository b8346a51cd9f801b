#include "sim/commands/flags.hpp"

#include <fmt/format.h>

#include <charconv>

namespace kvsim::sim::commands {

std::optional<long long> Flags::integer(const std::string& name, std::string& err) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  long long out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    err = fmt::format("invalid argument \"{}\" for \"--{}\" flag: must be an integer", *v, name);
    return std::nullopt;
  }
  return out;
}

Flags parse_flags(const std::vector<std::string>& args) {
  Flags f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto next = [&](const std::string& name) -> std::string {
      if (i + 1 >= args.size()) {
        f.error = fmt::format("flag needs an argument: {}", name);
        return {};
      }
      return args[++i];
    };
    if (a == "-n" || a == "--namespace") f.ns = next("-n"), f.ns_given = true;
    else if (a.starts_with("--namespace=")) f.ns = a.substr(12), f.ns_given = true;
    else if (a == "-A" || a == "--all-namespaces") f.all_namespaces = true;
    else if (a == "-o" || a == "--output") f.output = next("-o");
    else if (a.starts_with("-o") && a.size() > 2 && !a.starts_with("--")) f.output = a.substr(a[2] == '=' ? 3 : 2);
    else if (a.starts_with("--output=")) f.output = a.substr(9);
    else if (a == "-l" || a == "--selector") f.selector = next("-l");
    else if (a.starts_with("--selector=")) f.selector = a.substr(11);
    else if (a == "-f" || a == "--filename") f.file = next("-f");
    else if (a.starts_with("--filename=")) f.file = a.substr(11);
    else if (a == "--all") f.all = true;
    else if (a.starts_with("--") && a.size() > 2) {
      const auto eq = a.find('=');
      const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (switch_flags().contains(name)) {
        if (eq == std::string::npos || a.substr(eq + 1) == "true") f.switches.insert(name);
        else if (a.substr(eq + 1) != "false") f.error = fmt::format("invalid boolean for --{}: {}", name, a.substr(eq + 1));
      } else if (eq != std::string::npos) {
        f.values[name] = a.substr(eq + 1);
      } else {
        f.values[name] = next(a);
      }
    } else if (a.starts_with("-") && a.size() > 1) {
      f.error = fmt::format("unknown flag: {}", a);
    } else {
      f.positional.push_back(a);
    }
    if (!f.error.empty()) break;
  }
  return f;
}

}  // namespace kvsim::sim::commands
