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

TokenCache::Clock::time_point cache_expiry(int64_t expires_at, int64_t now,
                                           TokenCache::Clock::time_point steady_now) {
  using Clock = TokenCache::Clock;
  if (expires_at <= 0) return Clock::time_point::max();
  // An exp more than 292 years ahead does not fit the clock's nanoseconds; converting it would
  // overflow into the past. Such a token stays as long as the cache keeps any (max_ttl).
  const std::chrono::seconds left(expires_at - now);
  if (left >=
      std::chrono::duration_cast<std::chrono::seconds>(Clock::time_point::max() - steady_now)) {
    return Clock::time_point::max();
  }
  return steady_now + left;
}

}  // namespace gatehouse::security
