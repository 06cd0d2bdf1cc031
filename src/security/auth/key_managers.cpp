#include "security/auth/key_managers.h"

#include <tuple>

namespace gatehouse::security {

namespace {

// Every setting but where it was written, and the introspection endpoint.
auto settings(const config::KeyManagerConfig& c) {
  return std::tie(c.name, c.issuer, c.discovery_url, c.jwks_uri, c.jwks_file, c.hmac_secret,
                  c.client_id_claim, c.scope_claim, c.audiences, c.leeway, c.jwks_refetch_interval,
                  c.timeout, c.ca_file, c.verify_tls, c.resident);
}

auto settings(const config::IntrospectionConfig& c) {
  return std::tie(c.url, c.client_id, c.client_secret);
}

bool reusable(const config::KeyManagerConfig& kept, const config::KeyManagerConfig& wanted) {
  if (!wanted.jwks_file.empty() || !wanted.ca_file.empty()) return false;
  if (kept.introspection.has_value() != wanted.introspection.has_value()) return false;
  if (kept.introspection && settings(*kept.introspection) != settings(*wanted.introspection)) {
    return false;
  }
  return settings(kept) == settings(wanted);
}

}  // namespace

std::expected<std::shared_ptr<KeyManager>, std::string> KeyManagers::obtain(
    const config::KeyManagerConfig& config, size_t workers) {
  Kept& kept = by_name_[config.name];
  if (std::shared_ptr<KeyManager> live = kept.key_manager.lock()) {
    if (kept.workers == workers && reusable(kept.config, config)) return live;
  }
  auto created = KeyManager::create(config, workers, resident_);
  if (!created) return std::unexpected(std::move(created.error()));
  std::shared_ptr<KeyManager> fresh = std::move(*created);
  kept = {fresh, config, workers};
  return fresh;
}

}  // namespace gatehouse::security
