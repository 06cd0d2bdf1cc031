#include "security/auth/security_state.h"

#include <algorithm>

namespace gatehouse::security {
namespace {

// How long a verified Basic Auth password is remembered by a worker.
constexpr auto credential_ttl = std::chrono::minutes(5);
constexpr size_t credential_cache_entries = 10'000;

template <class Items, class Record>
std::vector<Record> records_of(const Items& items, Record Items::value_type::*member) {
  std::vector<Record> records;
  records.reserve(items.size());
  for (const auto& item : items) records.push_back(item.*member);
  return records;
}

// Store errors carry the index of their record; the config knows where that record was written.
config::ConfigErrors located(const identity::StoreErrors& errors, const config::SecurityConfig& s) {
  config::ConfigErrors located;
  for (const identity::StoreError& error : errors) {
    const config::Location* where = nullptr;
    switch (error.kind) {
      case identity::RecordKind::application:
        where = &s.applications.at(error.index).location;
        break;
      case identity::RecordKind::subscription:
        where = &s.subscriptions.at(error.index).location;
        break;
      case identity::RecordKind::user:
        where = &s.users.at(error.index).location;
        break;
    }
    located.push_back({*where, error.message});
  }
  return located;
}

}  // namespace

SecurityState::SecurityState(const config::Config& config,
                             identity::SubscriptionStore subscriptions, identity::UserStore users)
    : config_(config.security),
      subscriptions_(std::move(subscriptions)),
      users_(std::move(users)),
      token_caches_(worker_count(config.workers), config.security.token_cache.entries,
                    std::chrono::duration_cast<TokenCache::Clock::duration>(
                        config.security.token_cache.max_ttl)),
      credential_caches_(
          worker_count(config.workers), credential_cache_entries,
          std::chrono::duration_cast<identity::CredentialCache::Clock::duration>(credential_ttl)),
      backend_jwt_caches_(worker_count(config.workers),
                          size_t{config.security.token_cache.entries}) {}

std::expected<std::shared_ptr<const SecurityState>, config::ConfigErrors> SecurityState::compile(
    const config::Config& config, KeyManagers* kept) {
  const config::SecurityConfig& security = config.security;
  config::ConfigErrors errors;
  auto subscriptions = identity::SubscriptionStore::build(
      records_of(security.applications, &config::ApplicationConfig::record),
      records_of(security.subscriptions, &config::SubscriptionConfig::record));
  if (!subscriptions)
    std::ranges::move(located(subscriptions.error(), security), std::back_inserter(errors));
  auto users = identity::UserStore::build(records_of(security.users, &config::UserConfig::record));
  if (!users) std::ranges::move(located(users.error(), security), std::back_inserter(errors));
  if (!errors.empty()) return std::unexpected(std::move(errors));

  std::shared_ptr<SecurityState> state(
      new SecurityState(config, std::move(*subscriptions), std::move(*users)));
  const size_t workers = worker_count(config.workers);
  for (const config::KeyManagerConfig& key_manager : security.key_managers) {
    auto created = kept != nullptr ? kept->obtain(key_manager, workers)
                                   : KeyManager::create(key_manager, workers);
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
