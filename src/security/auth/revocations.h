// Tokens revoked before they expire: by the SHA-256 of the token (any token: JWT, opaque, API
// key) or by its `jti`. A revocation must be seen at once by every worker, and the request path
// takes no lock; so every worker holds its own copy of the revoked set, and a revocation is an
// insert posted to each worker's io_context. A worker sees a revocation from the moment it has
// run that insert, before any request it reads afterwards.
//
// One Revocations lives as long as the process, across snapshots and reloads. An entry is kept
// until the token would have expired anyway (`expires_at`, or `default_ttl` when unknown), then
// dropped. Bounded: when `capacity` entries are held and none has expired, a new revocation is
// refused (and counted) rather than an old one forgotten (forgetting one would let its token in
// again).
#pragma once

#include <absl/container/flat_hash_map.h>

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/worker_barrier.h"
#include "core/worker_index.h"
#include "security/auth/token_cache.h"

namespace gatehouse::security {

struct Revocation {
  std::variant<TokenDigest, std::string> token;  // the token's SHA-256, or its `jti`
  int64_t expires_at = 0;  // seconds since the epoch; 0: unknown, kept for the default TTL
};

enum class RevokeError {
  full,     // `capacity` entries are held and none has expired yet
  expired,  // `expires_at` has passed: the token is refused anyway
};

// The revoked tokens one thread holds, each with the time it may be forgotten.
class RevokedSet {
 public:
  // Keeps the later expiry when the token was revoked before.
  void add(const Revocation& revocation);
  bool contains(const TokenDigest& digest, std::string_view jti, int64_t now) const;
  // Drops the entries that expired by `now`; whether any went.
  bool purge(int64_t now);

  size_t size() const { return digests_.size() + jtis_.size(); }
  // Entry -> the time it may be forgotten; expired entries stay until a purge.
  const absl::flat_hash_map<TokenDigest, int64_t>& digests() const { return digests_; }
  const absl::flat_hash_map<std::string, int64_t>& jtis() const { return jtis_; }

 private:
  absl::flat_hash_map<TokenDigest, int64_t> digests_;
  absl::flat_hash_map<std::string, int64_t> jtis_;
};

class Revocations {
 public:
  using PostToWorker = gatehouse::PostToWorker;

  struct Limits {
    size_t capacity = 100'000;  // jtis and token hashes together
    std::chrono::seconds default_ttl = std::chrono::hours(24);
  };

  // `post` may only be called once workers exist: it is called by revoke(), never before.
  Revocations(size_t workers, PostToWorker post, Limits limits);
  Revocations(size_t workers, PostToWorker post) : Revocations(workers, std::move(post), {}) {}

  // Control thread only. Records the revocation and posts it to every worker; returns the time
  // (epoch seconds) until which it is kept. What answers a revocation waits for the workers to
  // run the insert with after_every_worker (core/worker_barrier.h).
  std::expected<int64_t, RevokeError> revoke(Revocation revocation, int64_t now);
  // Control thread only: every revocation made and not yet expired, as the workers will hold it.
  const RevokedSet& recorded() const { return recorded_; }
  // Control thread only. New limits apply to the revocations made from now on; entries beyond a
  // lowered capacity stay until they expire.
  void set_limits(Limits limits) { limits_ = limits; }
  const Limits& limits() const { return limits_; }
  // Control thread only: how many revocations were refused because the list was full.
  uint64_t refused() const { return refused_; }

  // Worker thread: whether the calling worker has been told that this token is revoked. Reads
  // only that worker's copy; `jti` may be empty (a token without one).
  bool revoked(const TokenDigest& digest, std::string_view jti) const;
  bool revoked(const TokenDigest& digest, std::string_view jti, int64_t now) const {
    return workers_.local().contains(digest, jti, now);
  }

 private:
  PostToWorker post_;
  Limits limits_;
  uint64_t refused_ = 0;
  RevokedSet recorded_;
  PerWorker<RevokedSet> workers_;
};

}  // namespace gatehouse::security
