#include "keymanager/server/revoked_access_tokens.h"

#include <algorithm>

namespace gatehouse::keymanager {

namespace {

// How often contains() sweeps expired entries: often enough that the map holds about what the
// store does, rarely enough that a sweep's cost spreads over many introspections.
constexpr UnixSeconds purge_interval = 60;

}  // namespace

void RevokedAccessTokens::add(std::string jti, UnixSeconds expires_at) {
  const std::lock_guard lock(mutex_);
  UnixSeconds& kept = expiry_by_jti_[std::move(jti)];
  kept = std::max(kept, expires_at);
}

void RevokedAccessTokens::add(const std::vector<RevocationRecord>& records) {
  for (const RevocationRecord& record : records) add(record.token_id, record.expires_at);
}

bool RevokedAccessTokens::contains(std::string_view jti, UnixSeconds now) {
  const std::lock_guard lock(mutex_);
  if (now >= next_purge_) purge(now);
  const auto found = expiry_by_jti_.find(jti);
  return found != expiry_by_jti_.end() && found->second > now;
}

void RevokedAccessTokens::purge(UnixSeconds now) {
  std::erase_if(expiry_by_jti_, [now](const auto& entry) { return entry.second <= now; });
  next_purge_ = now + purge_interval;
}

}  // namespace gatehouse::keymanager
