#include "security/auth/bearer_validator.h"

#include <algorithm>
#include <chrono>

#include "security/auth/certificate_binding.h"
#include "security/jose/claims.h"

namespace gatehouse::security {

namespace asio = boost::asio;

namespace {

bool looks_like_jwt(std::string_view token) {
  return std::ranges::count(token, '.') == 2;
}

std::string string_member(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::expected<std::vector<std::string>, AuthError> scopes_of(const boost::json::object& claims,
                                                             std::string_view claim) {
  auto scopes = jose::Claims(claims).scopes(claim);
  if (!scopes) {
    return std::unexpected(AuthError{AuthFailure::invalid_credentials,
                                     "the '" + std::string(claim) + "' claim is malformed"});
  }
  return std::vector<std::string>(scopes->begin(), scopes->end());
}

// The principal a validated token stands for; `claims` are the JWT's or the introspection's.
std::expected<std::shared_ptr<Principal>, AuthError> principal_from(
    const KeyManager& key_manager, boost::json::object claims, std::string_view client_id_claim,
    std::string_view scope_claim) {
  auto principal = std::make_shared<Principal>();
  principal->scheme = config::Scheme::oauth2;
  principal->key_manager = key_manager.name();
  principal->subject = string_member(claims, "sub");
  principal->client_id = string_member(claims, client_id_claim);
  principal->token_id = string_member(claims, "jti");
  principal->expires_at = jose::Claims(claims).time_claim("exp").value_or(0);
  auto scopes = scopes_of(claims, scope_claim);
  if (!scopes) return std::unexpected(scopes.error());
  principal->scopes = std::move(*scopes);
  auto bound = bound_certificate(claims);
  if (!bound) return std::unexpected(std::move(bound.error()));
  principal->certificate_sha256 = std::move(*bound);
  principal->claims = std::make_shared<const boost::json::object>(std::move(claims));
  return principal;
}

asio::awaitable<std::expected<std::shared_ptr<Principal>, AuthError>> validate_jwt(
    const SecurityState& state, std::string_view token, int64_t now) {
  auto jws = jose::decode_jws(token);
  if (!jws) {
    co_return std::unexpected(
        AuthError{AuthFailure::invalid_credentials, std::string(jose::to_string(jws.error()))});
  }
  const KeyManager* key_manager = state.key_manager_by_issuer(jose::Claims(jws->payload()).iss());
  if (!key_manager) {
    co_return std::unexpected(AuthError{AuthFailure::invalid_credentials,
                                        "the token's issuer is not a configured key manager"});
  }
  if (auto verified = co_await key_manager->verify(*jws, now); !verified) {
    co_return std::unexpected(verified.error());
  }
  const config::KeyManagerConfig& config = key_manager->config();
  co_return principal_from(*key_manager, jws->payload(), config.client_id_claim,
                           config.scope_claim);
}

asio::awaitable<std::expected<std::shared_ptr<Principal>, AuthError>> introspect(
    const SecurityState& state, std::string_view token,
    std::span<const KeyManager* const> introspectors, int64_t now) {
  std::optional<AuthError> failure;
  for (const KeyManager* key_manager : introspectors) {
    auto answer = co_await key_manager->introspect(token, now);
    if (answer) {
      // RFC 7662 names these members; the key manager's JWT claim names do not apply.
      co_return principal_from(*key_manager, std::move(*answer), "client_id", "scope");
    }
    // An unreachable key manager is worth reporting only if no other one knows the token.
    if (!failure || answer.error().failure == AuthFailure::key_manager_unreachable) {
      failure = answer.error();
    }
  }
  co_return std::unexpected(
      failure.value_or(AuthError{AuthFailure::invalid_credentials,
                                 "the token is not a JWT and no key manager of "
                                 "this API introspects tokens"}));
}

}  // namespace

int64_t epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

asio::awaitable<std::expected<PrincipalPtr, AuthError>> validate_bearer(
    const SecurityState& state, std::string_view token, const TokenDigest& digest,
    std::span<const KeyManager* const> introspectors) {
  std::optional<ValidationsInFlight::Lead> lead;
  if (auto shared = co_await state.validations_in_flight().join(digest, lead)) co_return *shared;
  const int64_t now = epoch_seconds();
  // Not a conditional expression: g++ 12 miscompiles co_await inside `?:`.
  std::expected<std::shared_ptr<Principal>, AuthError> principal;
  if (looks_like_jwt(token)) {
    principal = co_await validate_jwt(state, token, now);
  } else {
    principal = co_await introspect(state, token, introspectors, now);
  }
  if (!principal) {
    if (lead) lead->finish(std::unexpected(principal.error()));
    co_return std::unexpected(principal.error());
  }

  // Cached until the token expires; a token without exp lives max_ttl in the cache.
  const auto steady_now = TokenCache::Clock::now();
  state.token_cache().insert(digest, *principal,
                             cache_expiry((*principal)->expires_at, now, steady_now), steady_now);
  if (lead) lead->finish(PrincipalPtr(*principal));
  co_return PrincipalPtr(std::move(*principal));
}

}  // namespace gatehouse::security
