// Everything the security schemes of all APIs share, compiled once per snapshot from the config:
// the key managers, the Basic Auth users and their roles' scopes, and the per-worker caches in
// front of the slow checks. Immutable but for the caches, each of which only its own worker
// touches. The key managers and token caches come from the process's Runtime, kept across
// reloads; the applications and subscriptions are not here at all: a request reads the store
// its worker holds (pipeline::Exchange::subscriptions), which changes without a new snapshot.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "config/error.h"
#include "config/model.h"
#include "core/worker_index.h"
#include "security/auth/key_manager.h"
#include "security/auth/runtime.h"
#include "security/auth/token_cache.h"
#include "security/auth/validations_in_flight.h"
#include "security/identity/credential_cache.h"
#include "security/identity/user_store.h"
#include "security/tokens/api_key_verifier.h"
#include "security/tokens/backend_jwt_builder.h"
#include "security/tokens/backend_jwt_cache.h"

namespace gatehouse::security {

class SecurityState {
 public:
  // Takes the key managers and token caches from `runtime`, which keeps them across reloads.
  static std::expected<std::shared_ptr<const SecurityState>, config::ConfigErrors> compile(
      const config::Config& config, Runtime& runtime);

  const config::SecurityConfig& config() const { return config_; }
  const KeyManager* key_manager(std::string_view name) const;
  const KeyManager* key_manager_by_issuer(std::string_view issuer) const;
  const std::vector<std::shared_ptr<KeyManager>>& key_managers() const { return key_managers_; }
  const identity::UserStore& users() const { return users_; }
  // The scopes a user's roles grant, through the `roles` section.
  std::vector<std::string> scopes_of(const std::vector<std::string>& roles) const;

  // Null without the gateway's `signing_key`.
  const tokens::ApiKeyVerifier* api_key_verifier() const {
    return api_keys_ ? &*api_keys_ : nullptr;
  }
  const tokens::BackendJwtBuilder* backend_jwt_builder() const {
    return backend_jwt_ ? &*backend_jwt_ : nullptr;
  }
  const tokens::GatewayKey* gateway_key() const { return gateway_key_ ? &*gateway_key_ : nullptr; }

  // The calling worker's caches.
  TokenCache& token_cache() const { return token_caches_->local(); }
  ValidationsInFlight& validations_in_flight() const { return validations_in_flight_.local(); }
  identity::CredentialCache& credential_cache() const { return credential_caches_.local(); }
  tokens::BackendJwtCache& backend_jwt_cache() const { return backend_jwt_caches_.local(); }

 private:
  SecurityState(const config::Config& config, identity::UserStore users);

  config::SecurityConfig config_;
  std::vector<std::shared_ptr<KeyManager>> key_managers_;
  absl::flat_hash_map<std::string_view, const KeyManager*> by_issuer_;  // views into key_managers_
  identity::UserStore users_;
  absl::flat_hash_map<std::string, std::vector<std::string>> role_scopes_;
  std::shared_ptr<TokenCaches> token_caches_;  // kept across reloads (KeptTokenCaches)
  PerWorker<ValidationsInFlight> validations_in_flight_;
  PerWorker<identity::CredentialCache> credential_caches_;
  std::optional<tokens::GatewayKey> gateway_key_;
  std::optional<tokens::ApiKeyVerifier> api_keys_;
  std::optional<tokens::BackendJwtBuilder> backend_jwt_;
  PerWorker<tokens::BackendJwtCache> backend_jwt_caches_;
};

}  // namespace gatehouse::security
