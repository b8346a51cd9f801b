#pragma once
// A member value that copies of an object share instead of duplicating: it is read through
// `*`/`->`, copied by reference count, and changed only through mut(), which copies it first
// when another object still holds it (copy on write). Made for members that many stored
// objects hold alike: every Event of one involved object names it with the same
// ObjectReference, and at 100,000 VMs there are about 17 Events a VM.
//
// The codec's visitors read and write a Shared<T> member as the T it holds, so it encodes,
// decodes, compares and is described exactly as a plain T member would be.
#include <memory>
#include <utility>

namespace kvsim::models {

template <class T>
class Shared {
 public:
  Shared() = default;
  Shared(T value) : held_(std::make_shared<T>(std::move(value))) {}  // NOLINT: a T converts, as it assigns

  const T& get() const { return held_ ? *held_ : empty(); }
  const T& operator*() const { return get(); }
  const T* operator->() const { return &get(); }

  // The value, for writing: this holder's own copy (made now if others share it).
  T& mut() {
    if (!held_) held_ = std::make_shared<T>();
    else if (held_.use_count() > 1) held_ = std::make_shared<T>(*held_);
    return *held_;
  }
  // Whether both hold the very same value (so they are equal without comparing).
  bool same_as(const Shared& other) const { return held_ == other.held_; }

 private:
  static const T& empty() {
    static const T value{};
    return value;
  }
  std::shared_ptr<T> held_;  // null: a default T
};

}  // namespace kvsim::models
