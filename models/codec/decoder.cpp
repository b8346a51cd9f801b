#include "models/codec/decoder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cmath>

namespace kvsim::models {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// yaml-cpp marks quoted scalars with the non-specific tag "!".
bool quoted(const YAML::Node& n) { return n.Tag() == "!"; }

std::string describe_node(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "null";
    default: return quoted(n) ? fmt::format("string \"{}\"", n.Scalar()) : fmt::format("\"{}\"", n.Scalar());
  }
}

}  // namespace

void DecodeContext::fail(Location at, std::string path, std::string message) {
  problems.push_back(Problem{file, at, std::move(path), std::move(message)});
}

Location DecodeContext::where(const std::string& path) const {
  std::string p = path;
  while (!p.empty()) {
    if (auto it = locations.find(p); it != locations.end()) return it->second;
    const auto cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p.resize(cut);
  }
  return document_start;
}

void DecodeContext::invalid(const std::string& path, std::string message) {
  fail(where(path), path, std::move(message));
}

Location location_of(const YAML::Node& node) {
  if (!node.IsDefined()) return {};  // an absent key's node: Mark() would throw
  const auto m = node.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (auto it = node.begin(); it != node.end(); ++it) out[it->first.Scalar()] = yaml_to_json(it->second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const auto& s = node.Scalar();
      if (quoted(node)) return s;
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s == "null" || s == "~") return nullptr;
      // What from_chars reads in full starts with one of these (a sign, a digit, a point, inf or
      // nan); most scalars (names, images, quantities) are ruled out without trying, which was
      // 5% of a scale run's instructions (libstdc++'s double parser formats as it goes).
      if (s.empty() || !std::strchr("-.0123456789iInN", s.front())) return s;
      std::int64_t i = 0;
      if (auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i); ec == std::errc() && p == s.data() + s.size())
        return i;
      double d = 0;
      if (auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d); ec == std::errc() && p == s.data() + s.size())
        return d;
      return s;
    }
    default: return nullptr;
  }
}

Decoder::Decoder(const YAML::Node& node, std::string path, DecodeContext& ctx)
    : node_(node), path_(std::move(path)), ctx_(ctx) {}

void Decoder::read_entries() {
  entries_read_ = true;
  for (auto it = node_.begin(); it != node_.end(); ++it)
    entries_.push_back(Entry{&it->first.Scalar(), it->first, it->second});
}

std::optional<YAML::Node> Decoder::take(const char* key, bool required) {
  declared_.emplace_back(key);
  if (!entries_read_) read_entries();
  for (const auto& e : entries_) {
    if (*e.key != key) continue;
    ctx_.locations.emplace(child_path(path_, key), location_of(e.key_node));
    if (e.value.IsNull()) break;
    return e.value;
  }
  if (required) ctx_.fail(location_of(node_), child_path(path_, key), "Required value");
  return std::nullopt;
}

void Decoder::enumerated(const char* key, std::string& out, std::initializer_list<std::string_view> allowed,
                         int presence) {
  auto n = take(key, presence == Required);
  if (!n) return;
  std::string value;
  const std::string path = child_path(path_, key);
  decode_scalar(*n, path, ctx_, value);
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    std::string valid;
    for (auto a : allowed) valid += (valid.empty() ? "" : ", ") + std::string(a);
    ctx_.fail(location_of(*n), path, fmt::format("Unsupported value: \"{}\": supported values: {}", value, valid));
    return;
  }
  out = std::move(value);
}

void Decoder::enumerated(const char* key, std::optional<std::string>& out,
                         std::initializer_list<std::string_view> allowed) {
  std::string value;
  const auto before = ctx_.problems.size();
  enumerated(key, value, allowed, Optional);
  if (!value.empty() && ctx_.problems.size() == before) out = std::move(value);
}

void Decoder::opaque(const char* key, Json& out) {
  if (auto n = take(key, false)) out = yaml_to_json(*n);
}

void Decoder::not_modelled(const char* key) {
  if (auto n = take(key, false)) {
    ctx_.fail(location_of(*n), "", "not modelled yet: " + child_path(path_, key) + " (kvsim does not simulate this feature)");
  }
}

void Decoder::ignore(const char* key) { take(key, false); }

void Decoder::finish() {
  if (!entries_read_) read_entries();
  for (const auto& e : entries_) {
    const auto& key = *e.key;
    if (std::find(declared_.begin(), declared_.end(), key) != declared_.end()) continue;
    std::string message = fmt::format("unknown field \"{}\"", key);
    std::string_view best;
    std::size_t best_distance = 3;
    for (auto d : declared_) {
      const auto dist = edit_distance(key, d);
      if (dist < best_distance) best_distance = dist, best = d;
    }
    if (!best.empty()) message += fmt::format(" (did you mean \"{}\"?)", best);
    ctx_.fail(location_of(e.key_node), child_path(path_, key), std::move(message));
  }
}

Problem unexpected_shape(const YAML::Exception& e, const std::string& file) {
  Location at;
  if (!e.mark.is_null()) at = {e.mark.line + 1, e.mark.column + 1};
  return {file, at, "", "a value of a shape kvsim does not read here: " + e.msg};
}

bool expect_kind(const YAML::Node& n, YAML::NodeType::value type, const std::string& path, DecodeContext& ctx) {
  // A caller that decodes an absent key (n["name"] when there is none) gets a problem, not
  // yaml-cpp's InvalidNode exception, which would end kvsim.
  if (!n.IsDefined()) {
    ctx.invalid(path, "Required value");
    return false;
  }
  if (n.Type() == type) return true;
  const char* want = type == YAML::NodeType::Map ? "a mapping" : type == YAML::NodeType::Sequence ? "a list" : "a value";
  ctx.fail(location_of(n), path, fmt::format("expected {}, got {}", want, describe_node(n)));
  return false;
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, std::string& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  out = n.Scalar();
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, bool& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  const auto& s = n.Scalar();
  if (!quoted(n) && (s == "true" || s == "True" || s == "TRUE")) out = true;
  else if (!quoted(n) && (s == "false" || s == "False" || s == "FALSE")) out = false;
  else ctx.fail(location_of(n), path, fmt::format("expected true or false, got {}", describe_node(n)));
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, std::int64_t& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  const auto& s = n.Scalar();
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (quoted(n) || ec != std::errc() || p != s.data() + s.size()) {
    ctx.fail(location_of(n), path, fmt::format("expected an integer, got {}", describe_node(n)));
    return;
  }
  out = v;
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, std::int32_t& out) {
  std::int64_t v = out;
  const auto before = ctx.problems.size();
  decode_scalar(n, path, ctx, v);
  if (ctx.problems.size() != before) return;
  if (v < INT32_MIN || v > INT32_MAX) {
    ctx.fail(location_of(n), path, fmt::format("{} does not fit in a 32-bit integer", v));
    return;
  }
  out = static_cast<std::int32_t>(v);
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, double& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  const auto& s = n.Scalar();
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (quoted(n) || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) {
    ctx.fail(location_of(n), path, fmt::format("expected a number, got {}", describe_node(n)));
    return;
  }
  out = v;
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, Quantity& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  auto q = Quantity::parse(n.Scalar());
  if (!q) {
    ctx.fail(location_of(n), path,
             fmt::format("quantities must match the regular expression "
                         "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got \"{}\"",
                         n.Scalar()));
    return;
  }
  out = *q;
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, IntOrString& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  const auto& s = n.Scalar();
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!quoted(n) && ec == std::errc() && p == s.data() + s.size()) out = IntOrString::of(v);
  else out = IntOrString::of(s);
}

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, Timestamp& out) {
  if (!expect_kind(n, YAML::NodeType::Scalar, path, ctx)) return;
  auto t = parse_rfc3339(n.Scalar());
  if (!t) {
    ctx.fail(location_of(n), path, fmt::format("expected an RFC 3339 time like 2026-01-01T00:00:00Z, got \"{}\"", n.Scalar()));
    return;
  }
  out = *t;
}

void decode_scalar(const YAML::Node& n, const std::string&, DecodeContext&, Json& out) { out = yaml_to_json(n); }

}  // namespace kvsim::models
