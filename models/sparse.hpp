#pragma once
// A container member held on the heap: one pointer wide while empty, where a std::map is 48
// bytes and a std::vector 24 even then. For ObjectMeta's labels, annotations, owner
// references and finalizers, which every object carries and most leave empty (an Event
// sets none of them), at 100,000 VMs there are about two million objects.
//
// It reads and writes as the container it holds does (find, [], emplace, push_back, erase,
// range-for, ==), converts to a `const C&` for code that takes one, and hands out the
// container itself through mut(). Copies are deep, as the container's are. The codec's
// visitors treat it as the container, so nothing encoded, compared or described changes.
//
// An iterator taken from it while empty belongs to no container of its own: do not keep one
// across the first write.
#include <initializer_list>
#include <type_traits>
#include <utility>

#include "models/deep_ptr.hpp"

namespace kvsim::models {

template <class C>
class Sparse {
 public:
  using container_type = C;
  using value_type = typename C::value_type;
  using size_type = typename C::size_type;
  using iterator = typename C::iterator;
  using const_iterator = typename C::const_iterator;

  Sparse() = default;
  Sparse(C value) { *this = std::move(value); }  // NOLINT: a C converts, as it assigns
  Sparse(std::initializer_list<value_type> items) : Sparse(C(items)) {}
  Sparse& operator=(C value) {
    if (value.empty()) held_.reset();
    else held_.emplace(std::move(value));
    return *this;
  }
  Sparse& operator=(std::initializer_list<value_type> items) { return *this = C(items); }

  const C& get() const { return held_ ? *held_ : none(); }
  operator const C&() const { return get(); }  // NOLINT: read wherever a const C& is taken
  // The container, for writing (made now if this one is empty).
  C& mut() { return held_ ? *held_ : held_.emplace(); }

  bool empty() const { return !held_ || held_->empty(); }
  size_type size() const { return held_ ? held_->size() : 0; }
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  iterator begin() { return held_ ? held_->begin() : none().begin(); }
  iterator end() { return held_ ? held_->end() : none().end(); }

  // Reads (of a map: find, count, contains, at; of a vector: [], front, back).
  template <class K>
  const_iterator find(const K& key) const { return get().find(key); }
  template <class K>
  iterator find(const K& key) { return held_ ? held_->find(key) : none().end(); }
  template <class K>
  size_type count(const K& key) const { return get().count(key); }
  template <class K>
  bool contains(const K& key) const { return get().contains(key); }
  template <class K>
  decltype(auto) at(const K& key) const { return get().at(key); }
  template <class K>
  decltype(auto) at(const K& key) { return mut().at(key); }
  decltype(auto) front() const { return get().front(); }
  decltype(auto) back() const { return get().back(); }
  decltype(auto) front() { return mut().front(); }
  decltype(auto) back() { return mut().back(); }

  // Writes.
  template <class K>
  decltype(auto) operator[](K&& key) { return mut()[std::forward<K>(key)]; }
  template <class K>
  decltype(auto) operator[](K&& key) const { return get()[std::forward<K>(key)]; }
  template <class... A>
  decltype(auto) emplace(A&&... args) { return mut().emplace(std::forward<A>(args)...); }
  template <class... A>
  decltype(auto) try_emplace(A&&... args) { return mut().try_emplace(std::forward<A>(args)...); }
  template <class... A>
  decltype(auto) insert(A&&... args) { return mut().insert(std::forward<A>(args)...); }
  template <class... A>
  decltype(auto) insert_or_assign(A&&... args) { return mut().insert_or_assign(std::forward<A>(args)...); }
  void push_back(const value_type& item) { mut().push_back(item); }
  void push_back(value_type&& item) { mut().push_back(std::move(item)); }
  template <class... A>
  decltype(auto) emplace_back(A&&... args) { return mut().emplace_back(std::forward<A>(args)...); }
  void reserve(size_type n) { mut().reserve(n); }
  // By key: nothing to do while empty. By position: as the container does.
  template <class A>
  auto erase(A&& arg) {
    if constexpr (std::is_convertible_v<A, const_iterator>) return mut().erase(std::forward<A>(arg));
    else return held_ ? held_->erase(std::forward<A>(arg)) : size_type{0};
  }
  iterator erase(const_iterator first, const_iterator last) { return mut().erase(first, last); }
  void clear() { held_.reset(); }

  // std::erase and std::erase_if, found by argument-dependent lookup: nothing to do while empty.
  template <class U>
  friend size_type erase(Sparse& s, const U& value) {
    return s.held_ ? std::erase(*s.held_, value) : 0;
  }
  template <class P>
  friend size_type erase_if(Sparse& s, P pred) {
    return s.held_ ? std::erase_if(*s.held_, pred) : 0;
  }

  friend bool operator==(const Sparse& a, const Sparse& b) { return a.get() == b.get(); }
  friend bool operator==(const Sparse& a, const C& b) { return a.get() == b; }

 private:
  // What an empty one reads as. Never written: every write goes to a container of its own.
  static C& none() {
    static C value;
    return value;
  }
  DeepPtr<C> held_;
};

}  // namespace kvsim::models
