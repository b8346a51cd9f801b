#pragma once
// A value held on the heap, or nothing, that copies with its holder (a std::unique_ptr does
// not copy): the storage of Boxed and Sparse, which keep on the heap what most objects leave
// unset. With it they need no copy or move members of their own.
#include <memory>
#include <utility>

namespace kvsim::models {

template <class T>
class DeepPtr {
 public:
  DeepPtr() = default;
  DeepPtr(const DeepPtr& other) : held_(other.held_ ? std::make_unique<T>(*other.held_) : nullptr) {}
  DeepPtr(DeepPtr&&) noexcept = default;
  DeepPtr& operator=(const DeepPtr& other) {
    if (this != &other) held_ = other.held_ ? std::make_unique<T>(*other.held_) : nullptr;
    return *this;
  }
  DeepPtr& operator=(DeepPtr&&) noexcept = default;

  explicit operator bool() const { return held_ != nullptr; }
  T& operator*() const { return *held_; }
  T* operator->() const { return held_.get(); }
  template <class... Args>
  T& emplace(Args&&... args) {
    held_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *held_;
  }
  void reset() { held_.reset(); }

 private:
  std::unique_ptr<T> held_;
};

}  // namespace kvsim::models
