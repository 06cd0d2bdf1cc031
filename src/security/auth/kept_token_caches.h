// The workers' token caches, kept from one snapshot to the next while what made their entries
// valid stays as it was: the same key manager objects (KeyManagers keeps them while their settings
// do not change), the same gateway key (it verifies API keys) and the same cache settings. So a
// reload does not validate again, or introspect again, a token a worker has cached. A principal
// holds only what its token says (security/auth/principal.h), never a pointer into a snapshot or
// a store, so it can outlive both.
//
// Used on the control thread only, where snapshots are compiled.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/security_model.h"
#include "core/worker_index.h"
#include "security/auth/key_manager.h"
#include "security/auth/token_cache.h"

namespace gatehouse::security {

using TokenCaches = PerWorker<TokenCache>;

// What a cached principal was validated with.
struct TokenValidators {
  std::vector<const KeyManager*> key_managers;  // in the config's order
  std::string gateway_key_id;                   // empty: no signing key
  config::TokenCacheConfig settings;
  size_t workers = 0;

  bool operator==(const TokenValidators& other) const {
    return key_managers == other.key_managers && gateway_key_id == other.gateway_key_id &&
           settings.entries == other.settings.entries &&
           settings.max_ttl == other.settings.max_ttl && workers == other.workers;
  }
};

class KeptTokenCaches {
 public:
  // The caches a live snapshot validated with the same validators uses, or new ones.
  std::shared_ptr<TokenCaches> obtain(const TokenValidators& validators);

 private:
  std::weak_ptr<TokenCaches> caches_;
  TokenValidators validators_;
};

}  // namespace gatehouse::security
