// The backend JWTs a worker has signed, so that a caller's repeated requests to one API cost one
// signature per JWT lifetime rather than one per request. One cache per worker: not thread-safe.
// Keyed by the caller's credential hash (SHA-256 of the token, API key or Authorization value the
// principal came from), the API and the store of subscriptions the JWT's tiers were read from:
// never by the Principal's address, which a freed principal's successor may reuse. A change of
// subscriptions thus signs anew, and the JWTs of the store before it age out. A JWT is reused until
// renew_before seconds before its exp, so that a backend never receives one about to expire.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "security/tokens/backend_jwt_builder.h"

namespace gatehouse::tokens {

class BackendJwtCache {
 public:
  struct Key {
    std::array<uint8_t, 32> credential_hash;
    uint32_t api;            // the API's index in the snapshot
    uint64_t subscriptions;  // the store's generation (identity::SubscriptionStore)

    bool operator==(const Key&) const = default;
    template <class H>
    friend H AbslHashValue(H state, const Key& key) {
      return H::combine(std::move(state), key.credential_hash, key.api, key.subscriptions);
    }
  };

  static constexpr int64_t renew_before = 30;  // seconds

  explicit BackendJwtCache(size_t capacity) : capacity_(capacity) {}

  // The cached JWT, or nullptr when there is none still good at `now`. The pointer is valid until
  // the next put.
  const std::string* find(const Key& key, int64_t now) const;

  // When full, JWTs no longer good are dropped first; if none is, an arbitrary one is. A full
  // cache of live JWTs thus costs one pass over it per put: capacity bounds that pass.
  void put(const Key& key, BackendJwt jwt, int64_t now);

  size_t size() const { return entries_.size(); }

 private:
  static bool good(const BackendJwt& jwt, int64_t now) {
    return now < jwt.expires_at - renew_before;
  }

  size_t capacity_;
  absl::flat_hash_map<Key, BackendJwt> entries_;
};

}  // namespace gatehouse::tokens
