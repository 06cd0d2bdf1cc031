#include "security/auth/security_state.h"

#include <algorithm>

#include "security/auth/located_store_errors.h"

namespace gatehouse::security {
namespace {

// How long a verified Basic Auth password is remembered by a worker.
constexpr auto credential_ttl = std::chrono::minutes(5);
constexpr size_t credential_cache_entries = 10'000;

}  // namespace

SecurityState::SecurityState(const config::Config& config, identity::UserStore users)
    : config_(config.security),
      users_(std::move(users)),
      validations_in_flight_(worker_count(config.workers)),
      credential_caches_(
          worker_count(config.workers), credential_cache_entries,
          std::chrono::duration_cast<identity::CredentialCache::Clock::duration>(credential_ttl)),
      backend_jwt_caches_(worker_count(config.workers),
                          size_t{config.security.token_cache.entries}) {}

std::expected<std::shared_ptr<const SecurityState>, config::ConfigErrors> SecurityState::compile(
    const config::Config& config, Runtime& runtime) {
  const config::SecurityConfig& security = config.security;
  std::vector<identity::User> user_records;
  for (const config::UserConfig& user : security.users) user_records.push_back(user.record);
  auto users = identity::UserStore::build(user_records);
  if (!users) return std::unexpected(located_store_errors(users.error(), security));

  std::shared_ptr<SecurityState> state(new SecurityState(config, std::move(*users)));
  config::ConfigErrors errors;
  const size_t workers = worker_count(config.workers);
  for (const config::KeyManagerConfig& key_manager : security.key_managers) {
    auto created = runtime.key_managers.obtain(key_manager, workers);
    if (!created) {
      errors.push_back(
          {key_manager.location, "key manager '" + key_manager.name + "': " + created.error()});
      continue;
    }
    state->by_issuer_.emplace((*created)->issuer(), created->get());
    state->key_managers_.push_back(std::move(*created));
  }
  for (const auto& [role, scopes] : security.role_scopes) state->role_scopes_[role] = scopes;
  if (!security.signing_key_file.empty()) {
    auto key = tokens::GatewayKey::load(security.signing_key_file);
    if (!key) {
      errors.push_back({security.signing_key_location,
                        "signing_key " + security.signing_key_file + ": " +
                            std::string(jose::to_string(key.error())) +
                            " (an RSA key of 2048 bits or more, or an EC P-256 key, in PEM)"});
    } else {
      state->gateway_key_ = *key;
      state->api_keys_.emplace(*key);
      state->backend_jwt_.emplace(*key);
    }
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  TokenValidators validators{
      .key_managers = {},
      .gateway_key_id = state->gateway_key_ ? state->gateway_key_->kid() : "",
      .settings = security.token_cache,
      .workers = workers};
  for (const auto& key_manager : state->key_managers_) {
    validators.key_managers.push_back(key_manager.get());
  }
  state->token_caches_ = runtime.token_caches.obtain(validators);
  return state;
}

const KeyManager* SecurityState::key_manager(std::string_view name) const {
  for (const auto& key_manager : key_managers_) {
    if (key_manager->name() == name) return key_manager.get();
  }
  return nullptr;
}

const KeyManager* SecurityState::key_manager_by_issuer(std::string_view issuer) const {
  const auto found = by_issuer_.find(issuer);
  return found == by_issuer_.end() ? nullptr : found->second;
}

std::vector<std::string> SecurityState::scopes_of(const std::vector<std::string>& roles) const {
  std::vector<std::string> scopes;
  for (const std::string& role : roles) {
    const auto found = role_scopes_.find(role);
    if (found == role_scopes_.end()) continue;
    for (const std::string& scope : found->second) {
      if (std::ranges::find(scopes, scope) == scopes.end()) scopes.push_back(scope);
    }
  }
  return scopes;
}

}  // namespace gatehouse::security
