#include "models/codec/yaml_writer.hpp"

#include <charconv>

namespace kvsim::models {
namespace {

bool reads_as_other_type(const std::string& s) {
  static const char* const reserved[] = {"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null",
                                         "NULL", "~", "yes", "Yes", "YES", "no", "No", "NO", "on", "On",
                                         "ON", "off", "Off", "OFF", "y", "Y", "n", "N"};
  for (const char* r : reserved)
    if (s == r) return true;
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc() && p == s.data() + s.size()) return true;
  return s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o');
}

bool needs_quotes(const std::string& s) {
  if (s.empty() || reads_as_other_type(s)) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  static const std::string leading = "-?:,[]{}#&*!|>'\"%@`";
  if (leading.find(s.front()) != std::string::npos) {
    // "-foo" is fine as plain, but "- foo", "-" and "?" are not.
    if (!(s.front() == '-' && s.size() > 1 && s[1] != ' ')) return true;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == '\t') return true;
  return false;
}

std::string quote(const std::string& s) {
  // Single quotes need no escapes but cannot carry control characters.
  bool control = false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20) control = true;
  if (!control) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  return Json(s).dump();  // JSON string escapes are valid YAML double-quoted escapes
}

void write_scalar(std::string& out, const Json& v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    out += needs_quotes(s) ? quote(s) : s;
  } else if (v.is_null()) {
    out += "null";
  } else {
    out += v.dump();
  }
}

bool is_block_string(const Json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (s.find('\n') == std::string::npos) return false;
  for (char c : s)
    if (c != '\n' && static_cast<unsigned char>(c) < 0x20) return false;
  return s.front() != ' ';
}

void write_block_string(std::string& out, const std::string& s, int indent) {
  const bool trailing_newline = s.back() == '\n';
  out += trailing_newline ? "|\n" : "|-\n";
  std::size_t start = 0;
  const std::size_t end = trailing_newline ? s.size() - 1 : s.size();
  while (start <= end) {
    auto nl = s.find('\n', start);
    if (nl == std::string::npos || nl > end) nl = end;
    const auto line = s.substr(start, nl - start);
    if (!line.empty()) out += std::string(indent, ' ') + line;
    out += '\n';
    if (nl == end) break;
    start = nl + 1;
  }
}

void write_value(std::string& out, const Json& v, int indent);

// Writes "key: value" pairs of an object at `indent`; the first line's indent
// is already written when `first_inline` (a list item's "- ").
void write_object(std::string& out, const Json& obj, int indent, bool first_inline) {
  bool first = true;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!(first && first_inline)) out += std::string(indent, ' ');
    first = false;
    const std::string& key = it.key();
    out += needs_quotes(key) ? quote(key) : key;
    out += ':';
    const Json& v = it.value();
    if (v.is_object() && !v.empty()) {
      out += '\n';
      write_object(out, v, indent + 2, false);
    } else if (v.is_array() && !v.empty()) {
      out += '\n';
      write_value(out, v, indent);
    } else if (is_block_string(v)) {
      out += ' ';
      write_block_string(out, v.get_ref<const std::string&>(), indent + 2);
    } else {
      out += ' ';
      if (v.is_object()) out += "{}";
      else if (v.is_array()) out += "[]";
      else write_scalar(out, v);
      out += '\n';
    }
  }
}

void write_value(std::string& out, const Json& v, int indent) {
  if (v.is_object()) {
    if (v.empty()) out += std::string(indent, ' ') + "{}\n";
    else write_object(out, v, indent, false);
    return;
  }
  if (v.is_array()) {
    if (v.empty()) {
      out += std::string(indent, ' ') + "[]\n";
      return;
    }
    for (const auto& item : v) {
      out += std::string(indent, ' ') + "- ";
      if (item.is_object() && !item.empty()) {
        write_object(out, item, indent + 2, true);
      } else if (item.is_array() && !item.empty()) {
        out += '\n';
        write_value(out, item, indent + 2);
      } else if (is_block_string(item)) {
        write_block_string(out, item.get_ref<const std::string&>(), indent + 2);
      } else {
        if (item.is_object()) out += "{}";
        else if (item.is_array()) out += "[]";
        else write_scalar(out, item);
        out += '\n';
      }
    }
    return;
  }
  out += std::string(indent, ' ');
  write_scalar(out, v);
  out += '\n';
}

}  // namespace

std::string to_yaml(const Json& value) {
  std::string out;
  write_value(out, value, 0);
  return out;
}

}  // namespace kvsim::models
