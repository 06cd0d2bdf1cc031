// Owns copies of strings in large blocks and hands out views that stay valid, also when the arena
// is moved, for the arena's lifetime. The stores key their hash maps by these views: one copy of
// each string, no per-string allocation, and lookups by std::string_view without building a key.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

namespace gatehouse::identity {

class StringArena {
 public:
  std::string_view store(std::string_view text);

 private:
  static constexpr size_t block_size = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;  // the unused end of the newest shared block
  size_t free_size_ = 0;
};

}  // namespace gatehouse::identity
