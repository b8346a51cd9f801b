#pragma once
// Whether two values of one model type encode alike, exactly encode_value(a) == encode_value(b),
// without encoding them: reconciles compare each computed status with the stored one, often
// (virt-controller, at every sync of every VMI). Both are walked field by field as the Encoder
// writes them; only a leaf whose encoding may differ from its value's equality (a timestamp, a
// quantity, JSON) is encoded, and only when the two differ.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "models/codec/encoder.hpp"

namespace kvsim::models {

namespace detail {

// Whether a and b encode alike (encode_value(a) == encode_value(b)), found by walking both: a
// leaf is encoded only where the encoding may hide a difference (a timestamp's fraction of a
// second) or show one that == misses (a quantity's text). Strings, integers and booleans encode
// alike exactly when they are equal.
template <class T>
bool same_value(const T& a, const T& b);
template <class T>
bool same_value(const std::optional<T>& a, const std::optional<T>& b) {
  if (a.has_value() != b.has_value()) return encode_value(a) == encode_value(b);  // e.g. null Json inside
  return !a || same_value(*a, *b);
}
template <class T>
bool same_value(const Boxed<T>& a, const Boxed<T>& b) {
  if (a.has_value() != b.has_value()) return encode_value(a) == encode_value(b);
  return !a || same_value(*a, *b);
}
template <class T>
bool same_value(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_value(a[i], b[i])) return false;
  return true;
}
template <class T>
bool same_value(const std::map<std::string, T>& a, const std::map<std::string, T>& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
    if (i->first != j->first || !same_value(i->second, j->second)) return false;
  return true;
}

template <class C>
bool same_value(const Sparse<C>& a, const Sparse<C>& b) {
  return same_value(a.get(), b.get());
}

template <class T>
constexpr bool kEncodesAsItIs = std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
                                std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::int32_t>;

// Walks the fields the encoder writes (the same visit_fields) of `a`; each field's twin in `b`
// sits at the same offset, both being the same type. A field is compared as Encoder::field
// writes it: left out when omitted, or when a plain struct encodes empty.
class FieldComparer {
 public:
  FieldComparer(const void* a, const void* b) : a_(static_cast<const char*>(a)), b_(static_cast<const char*>(b)) {}

  template <class T>
  void field(const char*, const T& v, int presence = Optional) {
    if (!same_) return;
    const auto& twin = *reinterpret_cast<const T*>(b_ + (reinterpret_cast<const char*>(&v) - a_));
    if constexpr (EncodableFields<T>) {
      same_ = same_value(v, twin);  // equal encodings are both empty or both not
    } else {
      const bool left_out = presence == Optional && omitted(v);
      const bool twin_left_out = presence == Optional && omitted(twin);
      same_ = left_out || twin_left_out ? left_out == twin_left_out : same_value(v, twin);
    }
  }
  // A shared member: the same value held by both is the same; otherwise the two values it
  // holds are compared as that field would be (found by offset here, not in the values).
  template <class T>
  void field(const char* key, const Shared<T>& v, int presence = Optional) {
    if (!same_) return;
    const auto& twin = *reinterpret_cast<const Shared<T>*>(b_ + (reinterpret_cast<const char*>(&v) - a_));
    if (v.same_as(twin)) return;
    FieldComparer held(&*v, &*twin);
    held.field(key, *v, presence);
    same_ = held.same();
  }
  void enumerated(const char* key, const std::string& v, std::initializer_list<std::string_view>,
                  int presence = Optional) {
    field(key, v, presence == Always ? Always : Optional);
  }
  void enumerated(const char* key, const std::optional<std::string>& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void enumerated(const char* key, const Shared<std::string>& v, std::initializer_list<std::string_view>,
                  int presence = Optional) {
    field(key, v, presence == Always ? Always : Optional);
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
  bool same() const { return same_; }

 private:
  const char* a_;
  const char* b_;
  bool same_ = true;
};

template <class T>
bool same_value(const T& a, const T& b) {
  if constexpr (EncodableFields<T>) {
    FieldComparer c(&a, &b);
    visit_fields(c, const_cast<T&>(a));  // the comparer only reads
    return c.same();
  } else if constexpr (kEncodesAsItIs<T>) {
    return a == b;
  } else {
    return encode_scalar(a) == encode_scalar(b);
  }
}

}  // namespace detail

template <class T>
bool same_encoding(const T& a, const T& b) {
  return detail::same_value(a, b);
}

}  // namespace kvsim::models
