#include "sim/commands/template_processing.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <regex>

#include "models/codec/yaml_writer.hpp"
#include "sim/commands/printers.hpp"

namespace kvsim::sim::commands {
namespace {

const std::string kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const std::string kNumerals = "0123456789";
const std::string kSymbols = "~!@#$%^&*()-_+={}[]\\|<,>.?/\"';:`";
const std::string kAscii = kAlphabet + kNumerals + kSymbols;

// The characters of one `[...]` body, or "" with `error` set.
std::string alphabet_of(const std::string& ranges, std::string& error) {
  static const std::regex range(R"([\\]?[a-zA-Z0-9]-?[a-zA-Z0-9]?)");
  std::string alphabet;
  for (auto it = std::sregex_iterator(ranges.begin(), ranges.end(), range); it != std::sregex_iterator(); ++it) {
    const std::string m = it->str();
    const char from = m.front(), to = m.back();
    const std::string pair{from, to};
    if (pair == "\\w") alphabet += kAlphabet + kNumerals + "_";
    else if (pair == "\\d") alphabet += kNumerals;
    else if (pair == "\\a") alphabet += kAlphabet + kNumerals;
    else if (pair == "\\A") alphabet += kSymbols;
    else {
      const auto left = kAscii.find(from), right = kAscii.rfind(to);
      if (left > right) {
        error = fmt::format("invalid range specified: {}-{}", from, to);
        return {};
      }
      alphabet += kAscii.substr(left, right - left);
    }
  }
  std::string unique;
  for (char c : alphabet)
    if (unique.find(c) == std::string::npos) unique += c;
  return unique;
}

// visitObjectStrings: every string value (and map key) through `f`; a ${{NAME}} value may
// turn into a number, a boolean, an object...
void substitute(models::Json& node, const std::map<std::string, std::string>& params) {
  static const std::regex non_string(R"(^\$\{\{([a-zA-Z0-9_]+)\}\}$)");
  static const std::regex string_param(R"(\$\{([a-zA-Z0-9_]+?)\})");
  auto replace = [&](const std::string& in, bool& as_string) {
    as_string = true;
    std::smatch m;
    if (std::regex_match(in, m, non_string))
      if (auto it = params.find(m[1]); it != params.end()) {
        as_string = false;
        return it->second;
      }
    std::string out;
    auto begin = in.cbegin();
    for (std::sregex_iterator it(in.begin(), in.end(), string_param), end; it != end; ++it) {
      const auto& match = *it;
      out.append(begin, match[0].first);
      auto p = params.find(match[1]);
      out += p != params.end() ? p->second : match[0].str();
      begin = match[0].second;
    }
    out.append(begin, in.cend());
    return out;
  };
  if (node.is_string()) {
    bool as_string = true;
    const std::string value = replace(node.get<std::string>(), as_string);
    if (as_string) {
      node = value;
    } else {
      auto parsed = models::Json::parse(value, nullptr, false);
      node = parsed.is_discarded() ? models::Json(value) : parsed;
    }
  } else if (node.is_array()) {
    for (auto& item : node) substitute(item, params);
  } else if (node.is_object()) {
    models::Json out = models::Json::object();
    for (auto& [key, value] : node.items()) {
      bool ignored = true;
      auto v = value;
      substitute(v, params);
      out[replace(key, ignored)] = std::move(v);
    }
    node = std::move(out);
  }
}

// Go's encoding/json escapes these three inside strings (HTML safety).
std::string html_escaped(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

}  // namespace

std::string generate_expression(std::string expression, const Draw& below, std::string& error) {
  static const std::regex generators(R"(\[([a-zA-Z0-9\-\\]+)\](\{([0-9]+)\}))");
  static const std::regex valid(R"(\[(\\w|\\d|\\a|\\A)|([a-zA-Z0-9]\-[a-zA-Z0-9])+\])");
  std::smatch m;
  while (std::regex_search(expression, m, generators)) {
    const std::string whole = m[0].str();
    const std::string expr = whole.substr(0, whole.rfind('{'));
    if (!std::regex_search(expr, valid)) {
      error = "malformed expresion syntax: " + expr;  // sic, library-go's spelling
      return {};
    }
    const int length = std::atoi(m[3].str().c_str());
    if (length <= 0 || length > 255) {
      error = fmt::format("range must be within [1-255] characters ({})", length);
      return {};
    }
    const std::string alphabet = alphabet_of(m[1].str(), error);
    if (!error.empty()) return {};
    std::string generated;
    for (int i = 0; i < length; ++i) generated += alphabet[below(alphabet.size())];
    expression.replace(static_cast<std::size_t>(m.position(0)), whole.size(), generated);
  }
  return expression;
}

ProcessedTemplate process_template(models::Template t, const std::vector<std::pair<std::string, std::string>>& values,
                                   bool ignore_unknown, const Draw& below) {
  ProcessedTemplate out;
  // injectUserVars
  std::vector<std::string> unknown;
  for (const auto& assignment : values) {
    // Not a structured binding: clang 14 (the sanitized build's) cannot capture one in a lambda.
    const std::string& name = assignment.first;
    const std::string& value = assignment.second;
    auto it = std::find_if(t.parameters.begin(), t.parameters.end(), [&](const auto& p) { return p.name == name; });
    if (it == t.parameters.end()) {
      if (!ignore_unknown) unknown.push_back(fmt::format("unknown parameter name \"{}\"\n", name));
      continue;
    }
    it->value = value;
    it->generate.clear();
  }
  if (unknown.size() == 1) out.error = "error: " + unknown.front().substr(0, unknown.front().size() - 1);
  else if (!unknown.empty()) out.error = "error: [" + fmt::format("{}", fmt::join(unknown, ", ")) + "]";
  if (!out.error.empty()) return out;
  // GenerateParameterValues: errors become the server's Invalid causes, which oc lists.
  std::vector<std::string> causes;
  for (std::size_t i = 0; i < t.parameters.size(); ++i) {
    auto& p = t.parameters[i];
    if (!p.value.empty()) continue;
    const auto path = fmt::format("template.parameters[{}]", i);
    if (!p.generate.empty()) {
      std::string error;
      p.value = generate_expression(p.from, below, error);
      if (!error.empty()) {
        causes.push_back(fmt::format("Invalid value: \"{}\": {}", p.from, error));
        continue;
      }
    }
    if (p.value.empty() && p.required.value_or(false))
      causes.push_back(fmt::format("Required value: {}: parameter {} is required and must be specified", path, p.name));
  }
  if (!causes.empty()) {
    out.error = "error: unable to process template";
    for (const auto& c : causes) out.error += "\n  " + c;
    return out;
  }
  std::map<std::string, std::string> params;
  for (const auto& p : t.parameters) params[p.name] = p.value;
  std::map<std::string, std::string> labels;
  for (const auto& [k, v] : t.labels) {
    models::Json key = k, value = v;
    substitute(key, params);
    substitute(value, params);
    labels[key.is_string() ? key.get<std::string>() : key.dump()] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  if (t.objects.is_array())
    for (auto object : t.objects) {
      // stripNamespace: a hard-coded namespace is emptied; one naming a parameter is kept.
      if (auto* meta = object.is_object() && object.contains("metadata") ? &object["metadata"] : nullptr;
          meta && meta->is_object() && meta->contains("namespace")) {
        const auto& ns = (*meta)["namespace"];
        if (!ns.is_string() || ns.get<std::string>().find("${") == std::string::npos) (*meta)["namespace"] = "";
      }
      substitute(object, params);
      if (!labels.empty() && object.is_object())
        for (const auto& [k, v] : labels) object["metadata"]["labels"][k] = v;
      out.objects.push_back(std::move(object));
    }
  return out;
}

std::string print_processed_list(const models::Json& objects, bool yaml) {
  if (yaml) return models::to_yaml({{"apiVersion", "v1"}, {"items", objects}, {"kind", "List"}, {"metadata", models::Json::object()}});
  std::string items = objects.empty() ? "[]" : objects.dump(4);
  std::string indented;
  for (char c : items) {
    indented += c;
    if (c == '\n') indented += "    ";
  }
  return html_escaped("{\n    \"kind\": \"List\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {},\n    \"items\": " + indented +
                      "\n}\n");
}

std::string print_template_parameters(const models::Template& t) {
  std::vector<std::vector<std::string>> lines = {{"NAME", "DESCRIPTION", "GENERATOR", "VALUE"}};
  for (const auto& p : t.parameters)
    lines.push_back({p.name, p.description, p.generate, p.generate.empty() ? p.value : p.from});
  return tabwrite(lines, 20, 3);
}

}  // namespace kvsim::sim::commands
