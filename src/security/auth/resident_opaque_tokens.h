// The built-in key manager's opaque access tokens that are live now, by the SHA-256 of the token:
// the claims the key manager issued each with (what a JWT would carry) and when it expires. One
// table for the process, shared like ResidentKeys: the key manager adds a token when it issues it
// and removes it when it is revoked, and resolves tokens from it at its own endpoints; the
// gateway's `resident` key manager resolves from it every opaque token a worker has not cached,
// without an HTTP call. A removal is seen by the next lookup on every worker.
//
// Thread-safe, for workers that read at once: the table is split by the digest (a SHA-256, evenly
// spread) into shards, each a map under its own shared_mutex, so that readers share a shard's lock
// and a writer (an issue, a revocation) holds up only the readers of its shard. An entry goes at
// its expiry: when a lookup finds it expired, or at the periodic purge.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <shared_mutex>

#include "security/auth/token_cache.h"

namespace gatehouse::security {

class ResidentOpaqueTokens {
 public:
  using Claims = std::shared_ptr<const boost::json::object>;

  // `expires_at`, here and below, in seconds since the epoch; a token is live while now is before.
  void insert(const TokenDigest& digest, Claims claims, int64_t expires_at);
  // The claims of a live token; null for one unknown, revoked or expired (then dropped).
  Claims find(const TokenDigest& digest, int64_t now);
  // True when the token was there.
  bool erase(const TokenDigest& digest);
  // Drops the tokens expired by `now`; how many went.
  size_t purge(int64_t now);
  size_t size() const;

 private:
  struct Entry {
    Claims claims;
    int64_t expires_at = 0;
  };
  struct Shard {
    mutable std::shared_mutex mutex;
    absl::flat_hash_map<TokenDigest, Entry> entries;
  };
  // A power of two above the workers a host runs, so that two readers seldom share a shard.
  static constexpr size_t shard_count = 64;

  Shard& shard_of(const TokenDigest& digest) { return shards_[digest[0] % shard_count]; }

  std::array<Shard, shard_count> shards_;
};

}  // namespace gatehouse::security
