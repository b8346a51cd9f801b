#pragma once
// Encoding of the typed model to JSON (and from there to YAML), walking the
// same `visit_fields` description as the Decoder. Empty values are omitted,
// as `omitempty` does upstream; an optional that holds an empty struct (the
// `masquerade: {}` marker idiom) is kept.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/codec/decoder.hpp"
#include "models/boxed.hpp"
#include "models/sparse.hpp"
#include "models/shared.hpp"

namespace kvsim::models {

class Encoder;
template <class T>
concept EncodableFields = requires(Encoder& e, T& t) { visit_fields(e, t); };

template <class T>
Json encode_value(const T& v);
template <class T>
Json encode_value(const std::optional<T>& v);
template <class T>
Json encode_value(const Boxed<T>& v);
template <class C>
Json encode_value(const Sparse<C>& v);
template <class T>
Json encode_value(const std::vector<T>& v);
template <class T>
Json encode_value(const std::map<std::string, T>& v);

Json encode_scalar(const std::string& v);
Json encode_scalar(bool v);
Json encode_scalar(std::int64_t v);
Json encode_scalar(std::int32_t v);
Json encode_scalar(double v);
Json encode_scalar(const Quantity& v);
Json encode_scalar(const IntOrString& v);
Json encode_scalar(const Timestamp& v);
Json encode_scalar(const Json& v);

template <class T>
bool omitted(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) return v.empty();
  else if constexpr (std::is_same_v<T, Json>) return v.is_null();
  else if constexpr (std::is_arithmetic_v<T>) return v == T{};
  else return false;
}
template <class T>
bool omitted(const std::vector<T>& v) { return v.empty(); }
template <class T>
bool omitted(const std::map<std::string, T>& v) { return v.empty(); }
template <class T>
bool omitted(const std::optional<T>& v) { return !v.has_value(); }
template <class T>
bool omitted(const Boxed<T>& v) { return !v.has_value(); }
template <class C>
bool omitted(const Sparse<C>& v) { return v.empty(); }

class Encoder {
 public:
  explicit Encoder(Json& out) : out_(out) {}

  template <class T>
  void field(const char* key, const T& v, int presence = Optional) {
    if (presence == Optional && omitted(v)) return;
    Json encoded = encode_value(v);
    // A plain struct with nothing set is omitted; an optional one is kept, and a
    // required one is written (`devices: {}`, as Go writes a field without
    // omitempty), or what is printed would not decode again.
    if constexpr (EncodableFields<T>) {
      if (encoded.empty() && presence != Required) return;
    }
    out_[key] = std::move(encoded);
  }
  // A shared member is written as the value it holds.
  template <class T>
  void field(const char* key, const Shared<T>& v, int presence = Optional) {
    field(key, *v, presence);
  }
  void enumerated(const char* key, const std::string& v, std::initializer_list<std::string_view>,
                  int presence = Optional) {
    field(key, v, presence == Always ? Always : Optional);
  }
  void enumerated(const char* key, const std::optional<std::string>& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void enumerated(const char* key, const Shared<std::string>& v, std::initializer_list<std::string_view> allowed,
                  int presence = Optional) {
    enumerated(key, *v, allowed, presence);
  }
  void opaque(const char* key, const Json& v) { field(key, v); }
  template <class T>
  void not_simulated(const char* key, const T& v) {
    field(key, v);
  }
  void not_simulated(const char* key, const std::string& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void not_modelled(const char*) {}
  void ignore(const char*) {}

 private:
  Json& out_;
};

template <class T>
Json encode_value(const T& v) {
  if constexpr (EncodableFields<T>) {
    Json out = Json::object();
    Encoder e(out);
    visit_fields(e, const_cast<T&>(v));  // the encoder only reads
    return out;
  } else {
    return encode_scalar(v);
  }
}

template <class T>
Json encode_value(const std::optional<T>& v) {
  return v ? encode_value(*v) : Json();
}
template <class T>
Json encode_value(const Boxed<T>& v) {
  return v ? encode_value(*v) : Json();
}
template <class C>
Json encode_value(const Sparse<C>& v) {
  return encode_value(v.get());
}

template <class T>
Json encode_value(const std::vector<T>& v) {
  Json out = Json::array();
  for (const auto& item : v) out.push_back(encode_value(item));
  return out;
}

template <class T>
Json encode_value(const std::map<std::string, T>& v) {
  Json out = Json::object();
  for (const auto& [k, item] : v) out[k] = encode_value(item);
  return out;
}

}  // namespace kvsim::models
