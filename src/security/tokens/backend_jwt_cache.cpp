#include "security/tokens/backend_jwt_cache.h"

namespace gatehouse::tokens {

const std::string* BackendJwtCache::find(const Key& key, int64_t now) const {
  const auto found = entries_.find(key);
  if (found == entries_.end() || !good(found->second, now)) return nullptr;
  return &found->second.jwt;
}

void BackendJwtCache::put(const Key& key, BackendJwt jwt, int64_t now) {
  if (capacity_ == 0 || !good(jwt, now)) return;
  if (entries_.size() >= capacity_ && !entries_.contains(key)) {
    absl::erase_if(entries_, [now](const auto& entry) { return !good(entry.second, now); });
    if (entries_.size() >= capacity_) entries_.erase(entries_.begin());
  }
  entries_.insert_or_assign(key, std::move(jwt));
}

}  // namespace gatehouse::tokens
