// Maps distinct strings (API "Name:Version", tier names, key manager names) to dense small ids,
// so that the per-request structures hold 4-byte ids instead of strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "security/identity/string_arena.h"

namespace gatehouse::identity {

class Interner {
 public:
  // The id of `text`, added if new. Ids are 0, 1, 2... in order of first appearance.
  uint32_t intern(std::string_view text);
  std::optional<uint32_t> find(std::string_view text) const;
  std::string_view name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  StringArena arena_;
  std::vector<std::string_view> names_;
  absl::flat_hash_map<std::string_view, uint32_t> ids_;
};

}  // namespace gatehouse::identity
