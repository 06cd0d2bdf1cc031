#include "server/resident_key_manager.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "keymanager/store/sqlite_grant_store.h"
#include "observability/log.h"
#include "security/jose/certificate_thumbprint.h"
#include "security/jose/jwk.h"
#include "server/trusted_key_fetch.h"

namespace gatehouse::server {

namespace {

namespace log = observability::log;
using std::chrono::duration_cast;
using std::chrono::seconds;

// The loader checked every key: a set that does not parse cannot come from it, and an empty set
// verifies nothing.
jose::KeySet public_keys(const config::PublicKeysConfig& written) {
  auto keys = jose::parse_jwks(written.jwks_json);
  return keys ? std::move(*keys) : jose::KeySet();
}

keymanager::CertificateNameType certificate_name_type(config::CertificateNameKind kind) {
  using enum config::CertificateNameKind;
  using Type = keymanager::CertificateNameType;
  switch (kind) {
    case subject_dn:
      return Type::subject_dn;
    case san_dns:
      return Type::san_dns;
    case san_uri:
      return Type::san_uri;
    case san_ip:
      return Type::san_ip;
    case san_email:
      return Type::san_email;
  }
  return Type::subject_dn;
}

keymanager::Client client_of(const config::OAuth2ClientConfig& written,
                             const config::OAuth2ServerConfig& server) {
  keymanager::Client client;
  client.client_id = written.client_id;
  client.secret_hash = written.secret_hash;
  client.public_client = written.public_client;
  client.grant_types = written.grant_types;
  client.scopes = written.scopes;
  client.redirect_uris = written.redirect_uris;
  if (written.assertion_keys) client.assertion_keys = public_keys(*written.assertion_keys);
  if (written.tls_client_auth) {
    client.tls_client_auth =
        keymanager::CertificateName{.type = certificate_name_type(written.tls_client_auth->kind),
                                    .value = written.tls_client_auth->value};
  }
  for (const std::string& certificate : written.self_signed_certificates) {
    client.self_signed_thumbprints.push_back(jose::certificate_thumbprint(certificate));
  }
  client.certificate_bound_access_tokens = written.certificate_bound_access_tokens;
  client.audiences = written.audiences;
  client.access_token_lifetime =
      duration_cast<seconds>(written.access_token_lifetime.value_or(server.access_token_lifetime));
  client.refresh_token_lifetime = duration_cast<seconds>(
      written.refresh_token_lifetime.value_or(server.refresh_token_lifetime));
  client.access_token_format = written.access_token_format == config::AccessTokenFormat::opaque
                                   ? keymanager::AccessTokenFormat::opaque
                                   : keymanager::AccessTokenFormat::jwt;
  client.application_id = written.application;
  client.key_type = written.key_type;
  return client;
}

}  // namespace

keymanager::Settings key_manager_settings(const config::Config& config,
                                          const identity::UserStore* users) {
  const config::OAuth2ServerConfig& server = *config.oauth2_server;
  keymanager::Settings settings;
  settings.issuer = server.issuer;
  settings.device_code_interval = duration_cast<seconds>(server.device_code_interval);
  settings.access_token_lifetime = duration_cast<seconds>(server.access_token_lifetime);
  settings.refresh_token_lifetime = duration_cast<seconds>(server.refresh_token_lifetime);
  if (server.signing_key_rotation) {
    settings.signing_key_rotation = duration_cast<seconds>(*server.signing_key_rotation);
  }
  settings.signing_alg =
      server.signing_alg == config::SigningAlg::es256 ? jose::Alg::ES256 : jose::Alg::RS256;
  for (const config::OAuth2ClientConfig& client : server.clients) {
    settings.clients.push_back(client_of(client, server));
  }
  for (const config::TrustedIssuerConfig& trusted : server.trusted_issuers) {
    settings.trusted_issuers.push_back(keymanager::TrustedIssuer{
        .issuer = trusted.issuer,
        .keys = trusted.jwks_uri.empty() ? public_keys(trusted.keys) : jose::KeySet(),
        .fetched = trusted.jwks_uri.empty()
                       ? nullptr
                       : std::make_shared<keymanager::FetchedKeys>(trusted.jwks_uri),
        .audience = trusted.audience,
        .subject_claim = trusted.subject_claim,
        .max_token_lifetime = duration_cast<seconds>(trusted.max_token_lifetime),
    });
  }
  if (const auto& registration = server.registration) {
    settings.registration = keymanager::RegistrationPolicy{
        .initial_token_digests = registration->initial_token_digests,
        .open = registration->open,
        .grant_types = registration->grant_types,
        .scopes = registration->scopes,
    };
  }
  settings.users = users;
  return settings;
}

std::expected<std::unique_ptr<ResidentKeyManager>, std::string> ResidentKeyManager::start(
    const config::Config& config, keymanager::RevocationCallback on_revoked) {
  std::vector<identity::User> records;
  for (const config::UserConfig& user : config.security.users) records.push_back(user.record);
  // The config was validated: its users build (a failure here is one the loader would report).
  auto users = identity::UserStore::build(records);
  if (!users) return std::unexpected("oauth2_server: the users section cannot be used");
  auto owned_users = std::make_unique<identity::UserStore>(std::move(*users));

  const std::string& path = config.oauth2_server->store;
  auto opened = keymanager::SqliteGrantStore::open(path);
  if (!opened)
    return std::unexpected("oauth2_server store " + path + ": " + opened.error().describe());
  auto store = std::make_unique<keymanager::StoreThread>(std::move(*opened));
  auto context = keymanager::ServerContext::create(key_manager_settings(config, owned_users.get()),
                                                   *store, std::move(on_revoked));
  if (!context) return std::unexpected("oauth2_server: " + context.error());
  // The system trust store, for the trusted issuers' jwks_uri; loaded (some 30 ms) only when one
  // has a jwks_uri.
  std::optional<outbound::ClientTls> trusted_tls;
  const auto& issuers = (*context)->settings().trusted_issuers;
  if (std::ranges::any_of(issuers, [](const auto& issuer) { return issuer.fetched != nullptr; })) {
    auto tls = outbound::make_client_tls({});
    if (!tls) return std::unexpected("oauth2_server: " + tls.error());
    trusted_tls = std::move(*tls);
  }
  return std::unique_ptr<ResidentKeyManager>(new ResidentKeyManager(
      std::move(owned_users), std::move(store), std::move(*context), std::move(trusted_tls)));
}

boost::asio::awaitable<void> ResidentKeyManager::fetch_trusted_keys() const {
  if (trusted_tls_)
    co_await fetch_due_trusted_keys(context_->settings().trusted_issuers, *trusted_tls_);
}

std::shared_ptr<const jose::KeySet> ResidentKeyManager::current_keys() const {
  return std::make_shared<const jose::KeySet>(context_->keys()->verification_keys());
}

std::expected<std::shared_ptr<const keymanager::KeyRing>, std::string>
ResidentKeyManager::rotate_signing_key() {
  auto ring = context_->rotate_keys();
  if (!ring) return std::unexpected("the signing key was not rotated: " + ring.error().describe());
  resident_keys_->replace(current_keys());
  log::info("oauth2_server: signing key {} is current", (*ring)->kid());
  return std::move(*ring);
}

void ResidentKeyManager::maintain_signing_keys() {
  const std::string before = context_->keys()->kid();
  const auto changed = context_->maintain_keys();
  if (!changed) {
    log::error("oauth2_server: the signing keys: {}", changed.error().describe());
    return;
  }
  if (!*changed) return;
  resident_keys_->replace(current_keys());
  const std::string kid = context_->keys()->kid();
  if (kid != before) log::info("oauth2_server: signing key {} is current (scheduled)", kid);
}

void ResidentKeyManager::purge_expired_tokens() {
  const keymanager::UnixSeconds now = context_->now();
  context_->opaque_tokens()->purge(now);
  // A scan of every table: an hour apart, as expired rows only take room.
  if (now - store_purged_at_ < 3600) return;
  store_purged_at_ = now;
  const auto purged = store_->run_blocking(
      [now](keymanager::GrantStore& store) { return store.purge_expired(now); });
  if (!purged) {
    log::error("oauth2_server: purging the store: {}", purged.error().describe());
  } else if (*purged > 0) {
    log::info("oauth2_server: {} expired row(s) purged from the store", *purged);
  }
}

}  // namespace gatehouse::server
