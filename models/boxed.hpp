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
#include <compare>
#include <memory>
#include <optional>
#include <utility>

namespace kvsim::models {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}                                                         // NOLINT: as std::optional
  Boxed(T value) : held_(std::make_unique<T>(std::move(value))) {}                 // NOLINT: as std::optional
  Boxed(const std::optional<T>& v) : held_(v ? std::make_unique<T>(*v) : nullptr) {}  // NOLINT: as std::optional
  Boxed(const Boxed& other) : held_(other.held_ ? std::make_unique<T>(*other.held_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) held_ = other.held_ ? std::make_unique<T>(*other.held_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    held_.reset();
    return *this;
  }
  Boxed& operator=(T value) {
    if (held_) *held_ = std::move(value);
    else held_ = std::make_unique<T>(std::move(value));
    return *this;
  }

  bool has_value() const { return held_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *held_; }
  const T& operator*() const { return *held_; }
  T* operator->() { return held_.get(); }
  const T* operator->() const { return held_.get(); }
  T& value() { return checked(); }
  const T& value() const { return const_cast<Boxed*>(this)->checked(); }
  template <class U>
  T value_or(U&& fallback) const {
    return held_ ? *held_ : static_cast<T>(std::forward<U>(fallback));
  }
  template <class... Args>
  T& emplace(Args&&... args) {
    held_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *held_;
  }
  void reset() { held_.reset(); }

  friend bool operator==(const Boxed& a, const Boxed& b)
    requires requires(const T& x) { x == x; }
  {
    return a.has_value() == b.has_value() && (!a || *a == *b);
  }
  friend bool operator==(const Boxed& a, std::nullopt_t) { return !a; }

 private:
  T& checked() {
    if (!held_) throw std::bad_optional_access();
    return *held_;
  }
  std::unique_ptr<T> held_;
};

}  // namespace kvsim::models
