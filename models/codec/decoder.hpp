#pragma once
// Strict decoding of YAML (and JSON, its subset) into the typed model.
//
// Each model struct declares its fields once, in a `visit_fields(V&, T&)`
// function template; the Decoder here and the Encoder (encoder.hpp) both walk
// that one description. The Decoder refuses unknown fields with their path
// and location, as the API server's strict decoding does, and records where
// every field was written so later validation can point at it.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/codec/int_or_string.hpp"
#include "models/codec/problem.hpp"
#include "models/codec/timestamp.hpp"
#include "models/quantity.hpp"
#include "models/boxed.hpp"
#include "models/sparse.hpp"
#include "models/shared.hpp"

namespace kvsim::models {

using Json = nlohmann::json;  // sorted keys, as kubectl prints objects

// How a field behaves on the wire: Optional (omitted when empty or zero),
// Required (refused when absent; always written), Always (optional on input,
// always written: Go fields without omitempty such as restartCount).
enum Presence { Optional = 0, Required = 1, Always = 2 };

// One document's decode: the problems found and where each field was written.
struct DecodeContext {
  std::string file;
  Location document_start;
  Problems problems;
  std::map<std::string, Location> locations;

  void fail(Location at, std::string path, std::string message);
  // Where `path` (or its nearest recorded ancestor) was written.
  Location where(const std::string& path) const;
  // Records a problem found after decoding (validation), located by path.
  void invalid(const std::string& path, std::string message);
};

Location location_of(const YAML::Node& node);
// A reader's last guard: yaml-cpp's exception for a node of a shape the reader
// did not check (operator[] on a scalar), as a problem located at its mark.
Problem unexpected_shape(const YAML::Exception& e, const std::string& file);
std::string child_path(const std::string& parent, std::string_view key);
Json yaml_to_json(const YAML::Node& node);

class Decoder;
template <class T>
concept HasFields = requires(Decoder& d, T& t) { visit_fields(d, t); };

template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, T& out);
template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, std::optional<T>& out);
template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, Boxed<T>& out);
template <class C>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, Sparse<C>& out);
template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, std::vector<T>& out);
template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx,
                  std::map<std::string, T>& out);

class Decoder {
 public:
  Decoder(const YAML::Node& node, std::string path, DecodeContext& ctx);

  // A field of the struct. Absent or null leaves `out` as it was.
  template <class T>
  void field(const char* key, T& out, int presence = Optional) {
    if (auto n = take(key, presence == Required)) decode_value(*n, child_path(path_, key), ctx_, out);
  }
  // A shared member is read as the value it holds, into this object's own copy.
  template <class T>
  void field(const char* key, Shared<T>& out, int presence = Optional) {
    if (auto n = take(key, presence == Required)) {
      T value = *out;
      decode_value(*n, child_path(path_, key), ctx_, value);
      out = std::move(value);
    }
  }
  // A string field whose value must be one of `allowed` (an API enum).
  void enumerated(const char* key, std::string& out, std::initializer_list<std::string_view> allowed,
                  int presence = Optional);
  void enumerated(const char* key, std::optional<std::string>& out,
                  std::initializer_list<std::string_view> allowed);
  void enumerated(const char* key, Shared<std::string>& out, std::initializer_list<std::string_view> allowed,
                  int presence = Optional) {
    std::string value = *out;
    enumerated(key, value, allowed, presence);
    if (value != *out) out = std::move(value);
  }
  // A field the schema leaves open (or whose contents the sim does not read):
  // kept as JSON, so output round-trips, but not checked further.
  void opaque(const char* key, Json& out);
  // A real API field the sim accepts and keeps (written back as it came, checked
  // as its type says) but does not simulate: the schema marks it, and describe
  // names the ones an object sets (models/codec/not_simulated.hpp).
  template <class T>
  void not_simulated(const char* key, T& out) {
    field(key, out);
  }
  void not_simulated(const char* key, std::string& out, std::initializer_list<std::string_view> allowed) {
    enumerated(key, out, allowed);
  }
  // A real API field for a feature outside the sim: refused, located.
  void not_modelled(const char* key);
  // A field accepted and dropped (read-only server fields).
  void ignore(const char* key);

  // Refuses every key that was not declared. Called once the struct is visited.
  void finish();

  const std::string& path() const { return path_; }
  DecodeContext& context() { return ctx_; }

 private:
  std::optional<YAML::Node> take(const char* key, bool required);
  void read_entries();

  // One key of the mapping with its value, read once: yaml-cpp's iteration builds nodes on
  // every step, and each declared field would otherwise walk the whole mapping again.
  struct Entry {
    const std::string* key;  // the key node's own scalar, alive as long as key_node
    YAML::Node key_node;
    YAML::Node value;
  };

  YAML::Node node_;
  std::string path_;
  DecodeContext& ctx_;
  std::vector<std::string_view> declared_;
  std::vector<Entry> entries_;
  bool entries_read_ = false;
};

// ---- scalar and container decoding ----

void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, std::string& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, bool& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, std::int64_t& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, std::int32_t& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, double& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, Quantity& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, IntOrString& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, Timestamp& out);
void decode_scalar(const YAML::Node& n, const std::string& path, DecodeContext& ctx, Json& out);
bool expect_kind(const YAML::Node& n, YAML::NodeType::value type, const std::string& path, DecodeContext& ctx);

template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, T& out) {
  if constexpr (HasFields<T>) {
    if (!expect_kind(node, YAML::NodeType::Map, path, ctx)) return;
    Decoder d(node, path, ctx);
    visit_fields(d, out);
    d.finish();
  } else {
    decode_scalar(node, path, ctx, out);
  }
}

template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, std::optional<T>& out) {
  T value{};
  decode_value(node, path, ctx, value);
  out = std::move(value);
}
template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, Boxed<T>& out) {
  T value{};
  decode_value(node, path, ctx, value);
  out = std::move(value);
}

template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, std::vector<T>& out) {
  if (!expect_kind(node, YAML::NodeType::Sequence, path, ctx)) return;
  out.clear();
  out.reserve(node.size());
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    ctx.locations.emplace(item_path, location_of(node[i]));
    T item{};
    decode_value(node[i], item_path, ctx, item);
    out.push_back(std::move(item));
  }
}

template <class T>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx,
                  std::map<std::string, T>& out) {
  if (!expect_kind(node, YAML::NodeType::Map, path, ctx)) return;
  out.clear();
  for (auto it = node.begin(); it != node.end(); ++it) {
    const auto key = it->first.Scalar();
    const std::string item_path = child_path(path, key);
    ctx.locations.emplace(item_path, location_of(it->first));
    T value{};
    if (!it->second.IsNull()) decode_value(it->second, item_path, ctx, value);
    out[key] = std::move(value);
  }
}

template <class C>
void decode_value(const YAML::Node& node, const std::string& path, DecodeContext& ctx, Sparse<C>& out) {
  C value;
  decode_value(node, path, ctx, value);
  out = std::move(value);
}

// Decodes a whole object document into T (which declares apiVersion/kind via
// its fields). Problems land in ctx.
template <class T>
void decode_document(const YAML::Node& node, DecodeContext& ctx, T& out) {
  decode_value(node, "", ctx, out);
}

}  // namespace kvsim::models
