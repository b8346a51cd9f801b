#pragma once
// Which not-simulated fields an object sets: a walk over its `visit_fields`
// (beside the Decoder, the Encoder and the SchemaBuilder) that records the path
// of every field declared with `not_simulated` and holding something the
// Encoder would write back. `describe` prints them, so a trainee learns that
// kvsim kept the field but runs the VM as if it were not there.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/codec/encoder.hpp"
#include "models/kind_info.hpp"

namespace kvsim::models {

class NotSimulatedFinder;
template <class T>
void find_not_simulated(const T& v, const std::string& path, std::vector<std::string>& found);
template <class T>
void find_not_simulated(const std::optional<T>& v, const std::string& path, std::vector<std::string>& found);
template <class T>
void find_not_simulated(const Boxed<T>& v, const std::string& path, std::vector<std::string>& found);
template <class C>
void find_not_simulated(const Sparse<C>& v, const std::string& path, std::vector<std::string>& found);
template <class T>
void find_not_simulated(const std::vector<T>& v, const std::string& path, std::vector<std::string>& found);
template <class T>
void find_not_simulated(const std::map<std::string, T>& v, const std::string& path, std::vector<std::string>& found);

class NotSimulatedFinder {
 public:
  NotSimulatedFinder(const std::string& path, std::vector<std::string>& found) : path_(path), found_(found) {}

  template <class T>
  void field(const char* key, const T& v, int = Optional) {
    find_not_simulated(v, child_path(path_, key), found_);
  }
  template <class T>
  void field(const char* key, const Shared<T>& v, int presence = Optional) {
    field(key, *v, presence);
  }
  void enumerated(const char*, const std::string&, std::initializer_list<std::string_view>, int = Optional) {}
  void enumerated(const char*, const std::optional<std::string>&, std::initializer_list<std::string_view>) {}
  void enumerated(const char*, const Shared<std::string>&, std::initializer_list<std::string_view>, int = Optional) {}
  void opaque(const char*, const Json&) {}
  void not_modelled(const char*) {}
  void ignore(const char*) {}
  template <class T>
  void not_simulated(const char* key, const T& v) {
    // Set as the Encoder sees it: what it would write back (a struct with nothing in it is not).
    Json written = Json::object();
    Encoder(written).field(key, v);
    if (!written.empty()) found_.push_back(child_path(path_, key));
  }
  void not_simulated(const char* key, const std::string& v, std::initializer_list<std::string_view>) {
    if (!v.empty()) found_.push_back(child_path(path_, key));
  }

 private:
  const std::string& path_;
  std::vector<std::string>& found_;
};

template <class T>
void find_not_simulated(const T& v, const std::string& path, std::vector<std::string>& found) {
  if constexpr (EncodableFields<T>) {
    NotSimulatedFinder finder(path, found);
    visit_fields(finder, const_cast<T&>(v));  // the finder only reads
  }
}
template <class T>
void find_not_simulated(const std::optional<T>& v, const std::string& path, std::vector<std::string>& found) {
  if (v) find_not_simulated(*v, path, found);
}
template <class T>
void find_not_simulated(const Boxed<T>& v, const std::string& path, std::vector<std::string>& found) {
  if (v) find_not_simulated(*v, path, found);
}
template <class C>
void find_not_simulated(const Sparse<C>& v, const std::string& path, std::vector<std::string>& found) {
  find_not_simulated(v.get(), path, found);
}
template <class T>
void find_not_simulated(const std::vector<T>& v, const std::string& path, std::vector<std::string>& found) {
  for (std::size_t i = 0; i < v.size(); ++i) find_not_simulated(v[i], path + "[" + std::to_string(i) + "]", found);
}
template <class T>
void find_not_simulated(const std::map<std::string, T>& v, const std::string& path, std::vector<std::string>& found) {
  for (const auto& [key, item] : v) find_not_simulated(item, child_path(path, key), found);
}

// What KindInfo::not_simulated points at for a kind of type T.
template <class T>
std::vector<std::string> kind_not_simulated(const Object& obj) {
  std::vector<std::string> found;
  find_not_simulated(static_cast<const T&>(obj), "", found);
  return found;
}

}  // namespace kvsim::models
