#include "security/identity/interner.h"

namespace gatehouse::identity {

uint32_t Interner::intern(std::string_view text) {
  if (auto found = ids_.find(text); found != ids_.end()) return found->second;
  auto id = static_cast<uint32_t>(names_.size());
  std::string_view stored = arena_.store(text);
  names_.push_back(stored);
  ids_.emplace(stored, id);
  return id;
}

std::optional<uint32_t> Interner::find(std::string_view text) const {
  if (auto found = ids_.find(text); found != ids_.end()) return found->second;
  return std::nullopt;
}

}  // namespace gatehouse::identity
