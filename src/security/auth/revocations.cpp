#include "security/auth/revocations.h"

#include <absl/strings/string_view.h>

#include <algorithm>

#include "security/auth/bearer_validator.h"

namespace gatehouse::security {
namespace {

template <class Map, class Key>
void keep_latest(Map& map, const Key& key, int64_t expires_at) {
  auto [entry, inserted] = map.try_emplace(key, expires_at);
  if (!inserted) entry->second = std::max(entry->second, expires_at);
}

template <class Map, class Key>
bool holds_unexpired(const Map& map, const Key& key, int64_t now) {
  const auto found = map.find(key);
  return found != map.end() && found->second > now;
}

}  // namespace

void RevokedSet::add(const Revocation& revocation) {
  if (const auto* digest = std::get_if<TokenDigest>(&revocation.token)) {
    keep_latest(digests_, *digest, revocation.expires_at);
  } else {
    keep_latest(jtis_, std::get<std::string>(revocation.token), revocation.expires_at);
  }
}

bool RevokedSet::contains(const TokenDigest& digest, std::string_view jti, int64_t now) const {
  return holds_unexpired(digests_, digest, now) ||
         (!jti.empty() && holds_unexpired(jtis_, absl::string_view(jti.data(), jti.size()), now));
}

bool RevokedSet::purge(int64_t now) {
  const size_t before = size();
  const auto expired = [now](const auto& entry) { return entry.second <= now; };
  absl::erase_if(digests_, expired);
  absl::erase_if(jtis_, expired);
  return size() != before;
}

Revocations::Revocations(size_t workers, PostToWorker post, Limits limits)
    : post_(std::move(post)), limits_(limits), workers_(workers) {}

std::expected<int64_t, RevokeError> Revocations::revoke(Revocation revocation, int64_t now) {
  if (revocation.expires_at == 0) revocation.expires_at = now + limits_.default_ttl.count();
  if (revocation.expires_at <= now) return std::unexpected(RevokeError::expired);
  // The workers purge with the same cutoff, so that their copies stay what recorded() shows.
  const bool purged = recorded_.size() >= limits_.capacity && recorded_.purge(now);
  if (recorded_.size() >= limits_.capacity) {
    ++refused_;
    return std::unexpected(RevokeError::full);
  }
  recorded_.add(revocation);
  for (size_t worker = 0; worker < workers_.size(); ++worker) {
    post_(worker, [slot = &workers_.at(worker), revocation, purged, now] {
      if (purged) slot->purge(now);
      slot->add(revocation);
    });
  }
  return revocation.expires_at;
}

bool Revocations::revoked(const TokenDigest& digest, std::string_view jti) const {
  // No clock read while nothing is revoked: the common case costs one size check.
  if (workers_.local().size() == 0) return false;
  return revoked(digest, jti, epoch_seconds());
}

}  // namespace gatehouse::security
