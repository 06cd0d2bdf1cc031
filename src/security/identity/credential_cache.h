// Remembers successful Basic Auth verifications, so that a client sending the same credentials on
// every request pays the Argon2id or bcrypt cost once per `ttl` instead of every time.
//
// One cache per worker: it is NOT thread-safe, by design; the request path takes no lock. Entries
// are keyed by HMAC-SHA256 under a key drawn at random when the cache is made, of the user name
// and password, so that neither is kept and a memory dump shows nothing to try offline. Failed
// verifications are never cached: each wrong guess pays the full hash cost.
//
// Bounded: when `capacity` entries are held and a new one comes, all are dropped (the cache refills
// at one hash per active user). An entry lives `ttl`, so a changed password or a removed user is
// seen at most `ttl` late even with an unchanged store; a new UserStore empties the cache at once.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "security/identity/user_store.h"

struct evp_mac_ctx_st;

namespace gatehouse::identity {

class CredentialCache {
 public:
  using Clock = std::chrono::steady_clock;

  CredentialCache(size_t capacity, Clock::duration ttl);
  ~CredentialCache();
  CredentialCache(CredentialCache&&) noexcept;
  CredentialCache& operator=(CredentialCache&&) noexcept;

  // The user these credentials belong to, from the cache or, on a miss, from store.verify()
  // (remembered on success); nullptr if they belong to no one.
  const StoredUser* verify(const UserStore& store, std::string_view name, std::string_view password,
                           Clock::time_point now);

  size_t size() const { return entries_.size(); }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  using Digest = std::array<unsigned char, 32>;
  struct DigestHash {
    // The digest is a keyed MAC, uniform and unknown to clients: its first bytes are a hash.
    size_t operator()(const Digest& digest) const {
      size_t value;
      std::memcpy(&value, digest.data(), sizeof(value));
      return value;
    }
  };
  struct Entry {
    const StoredUser* user;
    Clock::time_point expires;
  };
  struct MacContextFree {
    void operator()(evp_mac_ctx_st* context) const;
  };

  Digest digest(std::string_view name, std::string_view password);

  size_t capacity_;
  Clock::duration ttl_;
  std::unique_ptr<evp_mac_ctx_st, MacContextFree> mac_;  // keyed once, re-initialised per digest
  uint64_t store_generation_ = 0;
  absl::flat_hash_map<Digest, Entry, DigestHash> entries_;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace gatehouse::identity
