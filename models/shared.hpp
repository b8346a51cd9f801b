#pragma once
// A member value that copies of an object share instead of duplicating: it is read through
// `*`/`->`, copied by reference count, and changed only through mut(), which copies it first
// when another object still holds it (copy on write). Made for members that many stored
// objects hold alike: every Event of one involved object names it with the same
// ObjectReference, and at 100,000 VMs there are about 17 Events a VM.
//
// One pointer wide (the count lives beside the value), where a std::shared_ptr is two: the
// Events it was made for are the most numerous objects of a large cluster.
//
// The codec's visitors read and write a Shared<T> member as the T it holds, so it encodes,
// decodes, compares and is described exactly as a plain T member would be. It also reads as
// a `const T&` wherever one is taken, compares with a T and formats as one, so an Event's
// shared texts (its reason, message and type) read as the strings they were.
#include <atomic>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

namespace kvsim::models {

template <class T>
class Shared {
 public:
  Shared() = default;
  Shared(T value) : held_(new Held{std::move(value)}) {}  // NOLINT: a T converts, as it assigns
  // And what a T is made from ("Started" for a string).
  template <class U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, T>) &&
             (!std::is_same_v<std::decay_t<U>, Shared>)
  Shared(U&& value) : Shared(T(std::forward<U>(value))) {}  // NOLINT: as the T it holds
  Shared(const Shared& other) : held_(other.held_) { retain(); }
  Shared(Shared&& other) noexcept : held_(std::exchange(other.held_, nullptr)) {}
  Shared& operator=(Shared other) noexcept {
    std::swap(held_, other.held_);
    return *this;
  }
  ~Shared() { release(); }

  const T& get() const { return held_ ? held_->value : empty(); }
  const T& operator*() const { return get(); }
  const T* operator->() const { return &get(); }
  operator const T&() const { return get(); }  // NOLINT: read wherever a const T& is taken

  // The value, for writing: this holder's own copy (made now if others share it).
  T& mut() {
    if (!held_) held_ = new Held{};
    else if (held_->holders.load(std::memory_order_acquire) > 1) *this = Shared(T(held_->value));
    return held_->value;
  }
  // Whether both hold the very same value (so they are equal without comparing).
  bool same_as(const Shared& other) const { return held_ == other.held_; }

  friend bool operator==(const Shared& a, const Shared& b) { return a.same_as(b) || a.get() == b.get(); }
  friend bool operator==(const Shared& a, const T& b) { return a.get() == b; }
  friend bool operator==(const Shared& a, const char* b)
    requires std::is_same_v<T, std::string>
  {
    return a.get() == b;
  }

 private:
  struct Held {
    T value;
    std::atomic<std::size_t> holders{1};
  };
  static const T& empty() {
    static const T value{};
    return value;
  }
  void retain() {
    if (held_) held_->holders.fetch_add(1, std::memory_order_relaxed);
  }
  void release() {
    if (held_ && held_->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) delete held_;
  }
  Held* held_ = nullptr;  // null: a default T
};

}  // namespace kvsim::models

template <class T>
struct fmt::formatter<kvsim::models::Shared<T>> : fmt::formatter<T> {
  template <class Context>
  auto format(const kvsim::models::Shared<T>& v, Context& ctx) const {
    return fmt::formatter<T>::format(v.get(), ctx);
  }
};
