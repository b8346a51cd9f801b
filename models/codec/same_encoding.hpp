#pragma once
// Whether two values of one model type encode alike, without encoding them when they are equal
// field by field: a reconcile that changes nothing (the usual case) compares its computed status
// with the stored one, and equal fields encode alike. Only values that differ somewhere are
// encoded and compared, so the answer is exactly encode_value(a) == encode_value(b) (the encoding
// drops what a field comparison sees, e.g. a timestamp's fraction of a second).
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/codec/encoder.hpp"

namespace kvsim::models {

namespace detail {

template <class T>
bool equal_fields(const T& a, const T& b);

template <class T>
bool equal_value(const T& a, const T& b) {
  if constexpr (EncodableFields<T>) return equal_fields(a, b);
  else return a == b;
}
template <class T>
bool equal_value(const std::optional<T>& a, const std::optional<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || equal_value(*a, *b);
}
template <class T>
bool equal_value(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!equal_value(a[i], b[i])) return false;
  return true;
}
template <class T>
bool equal_value(const std::map<std::string, T>& a, const std::map<std::string, T>& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
    if (i->first != j->first || !equal_value(i->second, j->second)) return false;
  return true;
}

// Walks the fields the encoder writes (the same visit_fields) of `a`; each field's twin in `b`
// sits at the same offset, both being the same type.
class FieldComparer {
 public:
  FieldComparer(const void* a, const void* b) : a_(static_cast<const char*>(a)), b_(static_cast<const char*>(b)) {}

  template <class T>
  void field(const char*, const T& v, int = Optional) {
    if (!equal_) return;
    const auto* twin = reinterpret_cast<const T*>(b_ + (reinterpret_cast<const char*>(&v) - a_));
    equal_ = equal_value(v, *twin);
  }
  void enumerated(const char* key, const std::string& v, std::initializer_list<std::string_view>, int = Optional) {
    field(key, v);
  }
  void enumerated(const char* key, const std::optional<std::string>& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void opaque(const char* key, const Json& v) { field(key, v); }
  template <class U>
  void not_simulated(const char* key, const U& v) {
    field(key, v);
  }
  void not_simulated(const char* key, const std::string& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void not_modelled(const char*) {}  // never encoded
  void ignore(const char*) {}
  bool equal() const { return equal_; }

 private:
  const char* a_;
  const char* b_;
  bool equal_ = true;
};

template <class T>
bool equal_fields(const T& a, const T& b) {
  FieldComparer c(&a, &b);
  visit_fields(c, const_cast<T&>(a));  // the comparer only reads
  return c.equal();
}

}  // namespace detail

template <class T>
bool same_encoding(const T& a, const T& b) {
  return detail::equal_value(a, b) || encode_value(a) == encode_value(b);
}

}  // namespace kvsim::models
