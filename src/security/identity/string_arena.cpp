#include "security/identity/string_arena.h"

#include <cstring>

namespace gatehouse::identity {

std::string_view StringArena::store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > block_size / 4) {
    // A large string gets a block of its own, so that it never wastes the rest of a shared block.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(text.size()));
    std::memcpy(blocks_.back().get(), text.data(), text.size());
    return {blocks_.back().get(), text.size()};
  }
  if (text.size() > free_size_) {
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size));
    free_ = blocks_.back().get();
    free_size_ = block_size;
  }
  std::memcpy(free_, text.data(), text.size());
  std::string_view stored(free_, text.size());
  free_ += text.size();
  free_size_ -= text.size();
  return stored;
}

}  // namespace gatehouse::identity
