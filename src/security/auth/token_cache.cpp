#include "security/auth/token_cache.h"

namespace gatehouse::security {

PrincipalPtr TokenCache::find(const TokenDigest& digest, Clock::time_point now) {
  const auto found = entries_.find(digest);
  if (found == entries_.end()) return nullptr;
  if (found->second.expires <= now) {
    entries_.erase(found);
    return nullptr;
  }
  return found->second.principal;
}

void TokenCache::insert(const TokenDigest& digest, PrincipalPtr principal,
                        Clock::time_point expires, Clock::time_point now) {
  if (entries_.size() >= capacity_) {
    absl::erase_if(entries_, [now](const auto& entry) { return entry.second.expires <= now; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_.insert_or_assign(digest, Entry{std::move(principal), std::min(expires, now + max_ttl_)});
}

void TokenCache::erase_token_id(std::string_view jti) {
  absl::erase_if(entries_,
                 [jti](const auto& entry) { return entry.second.principal->token_id == jti; });
}

}  // namespace gatehouse::security
