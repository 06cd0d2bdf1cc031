#include "security/auth/key_manager.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
#include <sstream>

#include "observability/log.h"
#include "outbound/form.h"
#include "security/auth/idp_answers.h"
#include "security/jose/claims.h"
#include "security/jose/sha256.h"
#include "security/jose/verify.h"

namespace gatehouse::security {

namespace asio = boost::asio;
namespace log = observability::log;

namespace {

using Clock = std::chrono::steady_clock;

AuthError invalid(std::string reason) {
  return AuthError{AuthFailure::invalid_credentials, std::move(reason)};
}

AuthError unreachable(std::string reason) {
  return AuthError{AuthFailure::key_manager_unreachable, std::move(reason)};
}

bool is_hmac(jose::Alg alg) {
  return alg == jose::Alg::HS256 || alg == jose::Alg::HS384 || alg == jose::Alg::HS512;
}

bool uses_https(const config::KeyManagerConfig& config) {
  auto https = [](const std::string& url) { return url.starts_with("https://"); };
  return https(config.discovery_url) || https(config.jwks_uri) ||
         (config.introspection && https(config.introspection->url));
}

std::expected<std::string, std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

KeyManager::KeyManager(const config::KeyManagerConfig& config, size_t workers)
    : config_(config), workers_(workers) {}

std::expected<std::unique_ptr<KeyManager>, std::string> KeyManager::create(
    const config::KeyManagerConfig& config, size_t workers, const ResidentIssuer& resident) {
  std::unique_ptr<KeyManager> manager(new KeyManager(config, workers));
  if (config.resident) {
    // Never fetched: a token naming a kid that is not there is not one of ours.
    manager->resident_keys_ =
        resident.keys
            ? resident.keys
            : std::make_shared<const ResidentKeys>(std::make_shared<const jose::KeySet>());
    // Never introspected over HTTP: a token that is not there is not one of ours.
    manager->resident_tokens_ =
        resident.opaque_tokens ? resident.opaque_tokens : std::make_shared<ResidentOpaqueTokens>();
  }
  if (!config.jwks_file.empty()) {
    const auto text = read_file(config.jwks_file);
    if (!text) return std::unexpected(text.error());
    auto keys = jose::parse_jwks(*text);
    if (!keys) {
      return std::unexpected(config.jwks_file + ": not a usable JWKS (" +
                             std::string(jose::to_string(keys.error())) + ")");
    }
    manager->file_keys_ = std::make_shared<const jose::KeySet>(std::move(*keys));
  }
  if (!config.hmac_secret.empty()) {
    auto key = jose::Key::from_secret(config.hmac_secret);
    if (!key) {
      return std::unexpected("hmac_secret must be at least " +
                             std::to_string(jose::min_hmac_secret) + " bytes");
    }
    manager->hmac_key_ = std::move(*key);
  }
  if (uses_https(config)) {
    auto tls =
        outbound::make_client_tls({.ca_file = config.ca_file, .verify_tls = config.verify_tls});
    if (!tls) return std::unexpected(tls.error());
    manager->tls_ = std::move(*tls);
  }
  return manager;
}

asio::awaitable<std::expected<void, AuthError>> KeyManager::verify(const jose::Jws& jws,
                                                                   int64_t now) const {
  jose::Result<void> verified;
  if (is_hmac(jws.alg())) {
    if (!hmac_key_) co_return std::unexpected(invalid("HMAC-signed tokens are not accepted"));
    verified = jose::verify_signature(jws, *hmac_key_);
  } else {
    const std::shared_ptr<const jose::KeySet> keys = co_await keys_for(jws.kid());
    if (!keys) {
      co_return std::unexpected(
          unreachable("the keys of key manager '" + config_.name + "' could not be fetched"));
    }
    auto key = jose::verify(jws, *keys);
    if (!key) verified = std::unexpected(key.error());
  }
  if (!verified) co_return std::unexpected(invalid(std::string(jose::to_string(verified.error()))));

  const jose::ClaimRules rules{
      .issuer = config_.issuer,
      .audiences = config_.audiences,
      .leeway_seconds = std::chrono::duration_cast<std::chrono::seconds>(config_.leeway).count()};
  if (auto claims = jose::check_claims(jws.payload(), rules, now); !claims) {
    co_return std::unexpected(invalid(std::string(jose::to_string(claims.error()))));
  }
  co_return std::expected<void, AuthError>{};
}

asio::awaitable<std::shared_ptr<const jose::KeySet>> KeyManager::keys_for(
    std::string_view kid) const {
  if (resident_keys_) co_return resident_keys_->current();
  if (file_keys_) co_return file_keys_;
  WorkerKeys& worker = workers_.local();
  if (worker.keys && (kid.empty() || worker.keys->find(kid))) co_return worker.keys;
  if (worker.fetching) {
    // Another request of this worker is fetching: its result serves this one too.
    const std::shared_ptr<asio::steady_timer> fetching = worker.fetching;
    co_await fetching->async_wait(asio::as_tuple(asio::use_awaitable));
    co_return worker.keys;
  }
  const bool rate_limited =
      worker.last_fetch && Clock::now() - *worker.last_fetch < config_.jwks_refetch_interval;
  if (!rate_limited) co_await refetch(worker);
  co_return worker.keys;
}

asio::awaitable<void> KeyManager::refetch(WorkerKeys& worker) const {
  worker.last_fetch = Clock::now();
  auto fetching = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                       Clock::time_point::max());
  worker.fetching = fetching;
  std::expected<std::string, std::string> body = co_await jwks_uri(worker);
  if (body) body = co_await get(*body);
  if (body) {
    if (auto keys = jose::parse_jwks(*body)) {
      for (const jose::KeySet::Skipped& skipped : keys->skipped()) {
        log::warn("key manager '{}': key '{}' skipped: {}", config_.name, skipped.kid,
                  jose::to_string(skipped.reason));
      }
      worker.keys = std::make_shared<const jose::KeySet>(std::move(*keys));
    } else {
      body = std::unexpected("the JWKS is not usable (" +
                             std::string(jose::to_string(keys.error())) + ")");
    }
  }
  if (!body) {
    log::warn("key manager '{}': keys not refreshed: {}{}", config_.name, body.error(),
              worker.keys ? "; the previous keys stay in use" : "");
  }
  worker.fetching.reset();
  fetching->cancel();
}

asio::awaitable<std::expected<std::string, std::string>> KeyManager::jwks_uri(
    WorkerKeys& worker) const {
  if (!config_.jwks_uri.empty()) co_return config_.jwks_uri;
  if (!worker.jwks_uri.empty()) co_return worker.jwks_uri;
  if (config_.discovery_url.empty()) co_return std::unexpected("no JWKS location is configured");
  const auto body = co_await get(config_.discovery_url);
  if (!body) co_return std::unexpected(body.error());
  auto uri = jwks_uri_from_discovery(*body, config_.issuer);
  if (!uri) co_return std::unexpected(uri.error());
  worker.jwks_uri = std::move(*uri);
  co_return worker.jwks_uri;
}

asio::awaitable<std::expected<std::string, std::string>> KeyManager::get(
    const std::string& url) const {
  co_return co_await outbound::get_json(url, tls_.value_or(outbound::ClientTls{}), config_.timeout);
}

asio::awaitable<std::expected<boost::json::object, AuthError>> KeyManager::introspect(
    std::string_view token, int64_t now) const {
  if (resident_tokens_) co_return resolve_resident(token, now);
  const config::IntrospectionConfig& introspection = *config_.introspection;
  const outbound::Request request{
      .method = "POST",
      .url = introspection.url,
      .headers = {{"Authorization", outbound::basic_authorization(introspection.client_id,
                                                                  introspection.client_secret)},
                  {"Content-Type", "application/x-www-form-urlencoded"},
                  {"Accept", "application/json"}},
      .body = outbound::form_encode(
          outbound::FormFields{{"token", std::string(token)}, {"token_type_hint", "access_token"}}),
      .timeout = config_.timeout};
  auto response = co_await outbound::fetch(request, tls_.value_or(outbound::ClientTls{}));
  if (!response || response->status != 200) {
    const std::string why = response ? "HTTP " + std::to_string(response->status)
                                     : std::string(to_string(response.error().kind()));
    log::warn("key manager '{}': introspection failed: {}", config_.name, why);
    co_return std::unexpected(
        unreachable("key manager '" + config_.name + "' could not introspect the token"));
  }
  co_return read_introspection_answer(response->body, config_, now);
}

// The table answers what the key manager's introspection would (its tokens expire without
// leeway, by its own clock); the checks of an introspection answer then apply as to any other.
std::expected<boost::json::object, AuthError> KeyManager::resolve_resident(std::string_view token,
                                                                           int64_t now) const {
  const ResidentOpaqueTokens::Claims claims = resident_tokens_->find(jose::sha256(token), now);
  if (!claims) return std::unexpected(invalid("the token is not active"));
  if (auto accepted = check_introspected_claims(*claims, config_, now); !accepted) {
    return std::unexpected(std::move(accepted.error()));
  }
  return *claims;
}

}  // namespace gatehouse::security
