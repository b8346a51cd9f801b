#pragma once
// An optional member held on the heap: one pointer wide when empty, where a std::optional
// is as wide as the value it may hold. For the large members most objects leave unset (a
// VM's instance type matcher, a VMI's affinity or chassis): a VirtualMachine held about
// 1.7 KB of such room inline, and there is one of them, a VMI and its start revision for
// each of 100,000 VMs.
//
// It reads and writes as a std::optional does (has_value, *, ->, emplace, reset, = value,
// = std::nullopt), copies deeply, and the codec's visitors treat it as one, so it encodes,
// decodes, compares and is described exactly like the std::optional member it replaces.
#include <optional>
#include <utility>

#include "models/deep_ptr.hpp"

namespace kvsim::models {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}                          // NOLINT: as std::optional
  Boxed(T value) { held_.emplace(std::move(value)); }  // NOLINT: as std::optional
  Boxed& operator=(std::nullopt_t) {
    held_.reset();
    return *this;
  }
  Boxed& operator=(T value) {
    if (held_) *held_ = std::move(value);
    else held_.emplace(std::move(value));
    return *this;
  }

  bool has_value() const { return static_cast<bool>(held_); }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *held_; }
  const T& operator*() const { return *held_; }
  T* operator->() { return held_.operator->(); }
  const T* operator->() const { return held_.operator->(); }
  T& value() { return checked(); }
  const T& value() const { return checked(); }
  template <class U>
  T value_or(U&& fallback) const {
    return held_ ? *held_ : static_cast<T>(std::forward<U>(fallback));
  }
  template <class... Args>
  T& emplace(Args&&... args) {
    return held_.emplace(std::forward<Args>(args)...);
  }
  void reset() { held_.reset(); }

  friend bool operator==(const Boxed& a, const Boxed& b)
    requires requires(const T& x) { x == x; }
  {
    return a.has_value() == b.has_value() && (!a || *a == *b);
  }
  friend bool operator==(const Boxed& a, std::nullopt_t) { return !a; }

 private:
  T& checked() const {
    if (!held_) throw std::bad_optional_access();
    return *held_;
  }
  DeepPtr<T> held_;
};

}  // namespace kvsim::models
