#include "security/auth/resident_opaque_tokens.h"

#include <mutex>

namespace gatehouse::security {

void ResidentOpaqueTokens::insert(const TokenDigest& digest, Claims claims, int64_t expires_at) {
  Shard& shard = shard_of(digest);
  const std::unique_lock lock(shard.mutex);
  shard.entries.insert_or_assign(digest, Entry{std::move(claims), expires_at});
}

ResidentOpaqueTokens::Claims ResidentOpaqueTokens::find(const TokenDigest& digest, int64_t now) {
  Shard& shard = shard_of(digest);
  {
    const std::shared_lock lock(shard.mutex);
    const auto found = shard.entries.find(digest);
    if (found == shard.entries.end()) return nullptr;
    if (found->second.expires_at > now) return found->second.claims;
  }
  // Expired: dropped under the writer's lock, unless another thread replaced it meanwhile.
  const std::unique_lock lock(shard.mutex);
  const auto found = shard.entries.find(digest);
  if (found != shard.entries.end() && found->second.expires_at <= now) shard.entries.erase(found);
  return nullptr;
}

bool ResidentOpaqueTokens::erase(const TokenDigest& digest) {
  Shard& shard = shard_of(digest);
  const std::unique_lock lock(shard.mutex);
  return shard.entries.erase(digest) > 0;
}

size_t ResidentOpaqueTokens::purge(int64_t now) {
  size_t purged = 0;
  for (Shard& shard : shards_) {
    const std::unique_lock lock(shard.mutex);
    purged += absl::erase_if(shard.entries,
                             [now](const auto& entry) { return entry.second.expires_at <= now; });
  }
  return purged;
}

size_t ResidentOpaqueTokens::size() const {
  size_t held = 0;
  for (const Shard& shard : shards_) {
    const std::shared_lock lock(shard.mutex);
    held += shard.entries.size();
  }
  return held;
}

}  // namespace gatehouse::security
