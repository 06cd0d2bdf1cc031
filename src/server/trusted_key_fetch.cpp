#include "server/trusted_key_fetch.h"

#include <chrono>
#include <optional>
#include <string>

#include "observability/log.h"

namespace gatehouse::server {

namespace {

// The key set at the issuer's jwks_uri, or why there is none (naming the URI).
boost::asio::awaitable<std::expected<jose::KeySet, std::string>> fetch_key_set(
    const std::string& jwks_uri, const outbound::ClientTls& tls) {
  auto body = co_await outbound::get_json(jwks_uri, tls, outbound::default_timeout);
  if (!body) co_return std::unexpected(std::move(body.error()));
  auto keys = jose::parse_jwks(*body);
  if (!keys) {
    co_return std::unexpected(jwks_uri +
                              ": not a JWKS: " + std::string(jose::to_string(keys.error())));
  }
  if (keys->keys().empty()) co_return std::unexpected(jwks_uri + ": no usable key");
  co_return std::move(*keys);
}

}  // namespace

boost::asio::awaitable<void> fetch_due_trusted_keys(
    const std::vector<keymanager::TrustedIssuer>& issuers, const outbound::ClientTls& tls) {
  for (const keymanager::TrustedIssuer& issuer : issuers) {
    if (!issuer.fetched || !issuer.fetched->due(std::chrono::steady_clock::now())) continue;
    auto keys = co_await fetch_key_set(issuer.fetched->jwks_uri(), tls);
    if (!keys) {
      log::error("oauth2_server: trusted issuer {}: its keys: {}; the keys it had are kept",
                 issuer.issuer, keys.error());
    }
    issuer.fetched->fetched(std::chrono::steady_clock::now(),
                            keys ? std::optional(std::move(*keys)) : std::nullopt);
  }
}

}  // namespace gatehouse::server
