// Tokens already validated, so that a token's signature is checked (or it is introspected) once:
// keyed by the SHA-256 of the token, never the token itself, and kept until the token expires
// or `max_ttl` passes, whichever is first.
//
// One cache per worker, NOT thread-safe by design: the request path takes no lock. Bounded: when
// `capacity` entries are held and another comes, the expired ones go, and if none had expired, all
// go (the cache refills at one validation per active token).
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "security/auth/principal.h"

namespace gatehouse::security {

using TokenDigest = std::array<uint8_t, 32>;

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;

  TokenCache(size_t capacity, Clock::duration max_ttl) : capacity_(capacity), max_ttl_(max_ttl) {}

  // The principal of a token validated before and not yet expired; null otherwise.
  PrincipalPtr find(const TokenDigest& digest, Clock::time_point now);
  // Remembers a validated token until `expires` (or max_ttl from now, if sooner).
  void insert(const TokenDigest& digest, PrincipalPtr principal, Clock::time_point expires,
              Clock::time_point now);
  void erase(const TokenDigest& digest) { entries_.erase(digest); }
  // Drops every entry whose principal has this `jti` (a revocation by token id).
  void erase_token_id(std::string_view jti);

  size_t size() const { return entries_.size(); }

 private:
  struct DigestHash {
    // SHA-256 output is uniform: its first bytes are a hash already.
    size_t operator()(const TokenDigest& digest) const {
      size_t value;
      std::memcpy(&value, digest.data(), sizeof(value));
      return value;
    }
  };
  struct Entry {
    PrincipalPtr principal;
    Clock::time_point expires;
  };

  size_t capacity_;
  Clock::duration max_ttl_;
  absl::flat_hash_map<TokenDigest, Entry, DigestHash> entries_;
};

// When a token validated at `now` (seconds since the epoch; `steady_now` on the cache's clock)
// leaves the cache: at its exp, `expires_at` (0: it has none, and only max_ttl bounds it).
TokenCache::Clock::time_point cache_expiry(int64_t expires_at, int64_t now,
                                           TokenCache::Clock::time_point steady_now);

}  // namespace gatehouse::security
