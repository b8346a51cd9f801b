#include "sim/commands/process_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "models/manifest.hpp"
#include "models/template.hpp"
#include "sim/commands/template_processing.hpp"

namespace kvsim::sim::commands {
namespace {

const char kUsageHint[] = "\nSee 'oc process -h' for help and examples";

struct ProcessArgs {
  std::string template_ref, file, ns = "default", output = "json";
  std::vector<std::pair<std::string, std::string>> values;
  bool parameters = false, ignore_unknown = false, param_given = false, output_given = false;
  std::string error, assignment_error;
};

// "-n NS", "-nNS", "--namespace NS", "--namespace=NS" and the like: the value of `arg` when
// it is flag `short_name`/`long_name`, consuming the next word when the value is there.
bool flag_value(const std::vector<std::string>& args, std::size_t& i, const std::string& short_name,
                const std::string& long_name, std::string& value) {
  const auto& a = args[i];
  for (const auto& name : {short_name, long_name}) {
    if (name.empty()) continue;
    if (a == name) {
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    }
    if (a.starts_with(name + "=")) {
      value = a.substr(name.size() + 1);
      return true;
    }
  }
  if (!short_name.empty() && a.size() > 2 && a.starts_with(short_name) && a[2] != '=' && a[1] != '-') {
    value = a.substr(2);
    return true;
  }
  return false;
}

ProcessArgs parse(const std::vector<std::string>& args) {
  ProcessArgs p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    std::string value;
    if (a == "--parameters") p.parameters = true;
    else if (a == "--ignore-unknown-parameters") p.ignore_unknown = true;
    else if (flag_value(args, i, "-n", "--namespace", value)) p.ns = value;
    else if (flag_value(args, i, "-o", "--output", value)) p.output = value, p.output_given = true;
    else if (flag_value(args, i, "-f", "--filename", value)) p.file = value;
    else if (flag_value(args, i, "-p", "--param", value)) {
      p.param_given = true;
      const auto eq = value.find('=');
      // ParseEnvironment's error is raised once the template is read (RunProcess's order).
      if (eq == std::string::npos || eq == 0) {
        if (p.assignment_error.empty()) p.assignment_error = fmt::format("error: invalid parameter assignment in \"{}\"", value);
        continue;
      }
      p.values.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (a.starts_with("-")) {
      p.error = fmt::format("error: unknown flag: {}{}", a, kUsageHint);
      return p;
    } else if (a.find('=') != std::string::npos) {
      const auto eq = a.find('=');
      p.values.emplace_back(a.substr(0, eq), a.substr(eq + 1));
    } else if (p.template_ref.empty()) {
      p.template_ref = a;
    } else {
      p.error = fmt::format("error: template name must be specified only once: {}{}", a, kUsageHint);
      return p;
    }
  }
  if (p.parameters)
    for (const auto& [given, flag] : {std::pair{p.param_given, "param"}, std::pair{p.output_given, "output"}})
      if (given) {
        p.error = fmt::format("error: The --parameters flag does not process the template, can't be used with --{}{}",
                              flag, kUsageHint);
        return p;
      }
  std::vector<std::string> seen, twice;
  for (const auto& [name, value] : p.values) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end() &&
        std::find(twice.begin(), twice.end(), name) == twice.end())
      twice.push_back(name);
    seen.push_back(name);
  }
  if (!twice.empty()) {
    std::sort(twice.begin(), twice.end());
    p.error = fmt::format("error: The following parameters were provided more than once: {}{}", fmt::join(twice, ", "),
                          kUsageHint);
  }
  return p;
}

}  // namespace

Outcome process_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  const ProcessArgs p = parse(args);
  if (!p.error.empty()) return {{}, p.error};
  if (p.template_ref.empty() && p.file.empty())
    return {{}, std::string("error: Must pass a filename or name of stored template") + kUsageHint};
  if (p.output != "json" && p.output != "yaml")
    return {{}, fmt::format("error: unable to match a printer suitable for the output format \"{}\", allowed formats "
                            "are: json,yaml",
                            p.output)};
  models::Template tmpl;
  if (!p.template_ref.empty()) {
    // parseNamespaceResourceName: NAME, RESOURCE/NAME, NS/RESOURCE/NAME, NS//NAME.
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t slash; (slash = p.template_ref.find('/', start)) != std::string::npos; start = slash + 1)
      parts.push_back(p.template_ref.substr(start, slash - start));
    parts.push_back(p.template_ref.substr(start));
    if (parts.size() > 3) return {{}, fmt::format("error: invalid argument \"{}\"", p.template_ref)};
    const std::string ns = parts.size() == 3 ? parts[0] : p.ns;
    const std::string resource = parts.size() >= 2 ? parts[parts.size() - 2] : "";
    const std::string name = parts.back();
    if (!resource.empty() && resource != "template" && resource != "templates")
      return {{}, fmt::format("error: unable to process invalid resource \"{}\"", resource)};
    if (name.empty()) return {{}, fmt::format("error: invalid value syntax \"{}\"", p.template_ref)};
    auto stored = cluster.store().get<models::Template>(ns, name);
    if (!stored) return {{}, fmt::format("error: template \"{}\" could not be found", name)};
    tmpl = *stored;
  } else {
    auto loaded = models::load_manifest_file(p.file);
    if (!loaded.ok()) return {{}, models::join_lines(loaded.problems)};
    if (loaded.objects.empty())
      return {{}, fmt::format("error: failed to read input object (not a Template?): no objects passed to process")};
    const auto* t = dynamic_cast<const models::Template*>(loaded.objects.front().get());
    if (!t)
      return {{}, fmt::format("error: unable to parse \"{}\", not a valid Template but {}", p.file,
                              loaded.objects.front()->info().kind)};
    tmpl = *t;
  }
  if (p.parameters) return {print_template_parameters(tmpl), {}};
  if (!p.assignment_error.empty()) return {{}, p.assignment_error};
  auto& rng = cluster.rng();
  const auto processed =
      process_template(tmpl, p.values, p.ignore_unknown, [&rng](std::uint64_t n) { return rng.below(n); });
  if (!processed.error.empty()) return {{}, processed.error};
  return {print_processed_list(processed.objects, p.output == "yaml"), {}};
}

}  // namespace kvsim::sim::commands
