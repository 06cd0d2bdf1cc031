// A per-thread free list of one type of object: a connection that goes idle hands back the warm
// state it used for its last message (buffers, parsers, head storage), and the next connection to
// become busy on the same worker takes it again, without malloc and with memory still in cache.
// Idle connections then hold no such state at all. Each worker is one thread, so a thread_local
// list is a per-worker list with no lock.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace gatehouse::net {

template <class T, size_t MaxKept>
class Recycler {
 public:
  static std::unique_ptr<T> take() {
    std::vector<std::unique_ptr<T>>& list = free_list();
    if (list.empty()) return std::make_unique<T>();
    std::unique_ptr<T> object = std::move(list.back());
    list.pop_back();
    return object;
  }

  // Keeps `object` for a later take(), or frees it when MaxKept objects are kept already (the
  // bound on memory held for connections that are gone or idle).
  static void give_back(std::unique_ptr<T> object) {
    std::vector<std::unique_ptr<T>>& list = free_list();
    if (list.size() < MaxKept) {
      if (list.capacity() == 0) list.reserve(MaxKept);
      list.push_back(std::move(object));
    }
  }

 private:
  static std::vector<std::unique_ptr<T>>& free_list() {
    thread_local std::vector<std::unique_ptr<T>> list;
    return list;
  }
};

}  // namespace gatehouse::net
