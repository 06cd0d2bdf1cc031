#include "keymanager/server/revocation_endpoint.h"

#include <boost/json/object.hpp>

#include "keymanager/server/access_token_resolution.h"
#include "keymanager/server/client_authentication.h"
#include "keymanager/server/family_revocation.h"
#include "keymanager/server/form.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "security/jose/claims.h"
#include "security/jose/sha256.h"

namespace gatehouse::keymanager {

namespace {

OAuthError not_the_clients() {
  return OAuthError{OAuthErrorCode::unauthorized_client, "the token was not issued to this client"};
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> RevocationEndpoint::handle(const OAuthRequest& request) const {
  const auto fail = [this](const OAuthError& error) {
    return error_answer(error, context_.settings().realm);
  };
  const auto received = co_await read_client_request(request, "revocation", context_);
  if (!received) co_return fail(received.error());
  const Form& form = received->form;
  const Client& client = *received->client;
  const auto token = form.get("token");
  if (!token) co_return fail({OAuthErrorCode::invalid_request, "token is required"});

  // An access token of ours, else a refresh token (base64url, without dots; a JWT has them).
  const UnixSeconds now = context_.now();
  std::expected<void, OAuthError> revoked;
  if (const auto claims = resolve_access_token(context_, *token, now)) {
    revoked = co_await revoke_access_token(client, *token, *claims, now);
  } else if (token->find('.') == std::string_view::npos) {
    revoked = co_await revoke_refresh_token(client, *token);
  }
  if (!revoked) co_return fail(revoked.error());
  co_return no_store_answer(200, boost::json::object());
}

boost::asio::awaitable<std::expected<void, OAuthError>> RevocationEndpoint::revoke_access_token(
    const Client& client, std::string_view token, const boost::json::object& claims,
    UnixSeconds now) const {
  const jose::Claims held(claims);
  if (held.string_claim("client_id") != client.client_id) {
    co_return std::unexpected(not_the_clients());
  }
  RevocationRecord record{.token_id = std::string(held.jti()),
                          .expires_at = held.time_claim("exp").value_or(now)};
  const auto stored = co_await call_store(
      context_.store(), [&record](GrantStore& store) { return store.put_revocation(record); });
  if (!stored) co_return std::unexpected(stored.error());
  // An opaque token is gone for every worker at once; a JWT was never in the table.
  context_.opaque_tokens()->erase(jose::sha256(token));
  co_await context_.announce_revocation(record.token_id, record.expires_at);
  co_return std::expected<void, OAuthError>{};
}

boost::asio::awaitable<std::expected<void, OAuthError>> RevocationEndpoint::revoke_refresh_token(
    const Client& client, std::string_view token) const {
  const std::string hash = token_hash(token);
  const auto found = co_await call_store(
      context_.store(), [&hash](GrantStore& store) { return store.find_refresh_token(hash); });
  if (!found) co_return std::unexpected(found.error());
  if (!*found) co_return std::expected<void, OAuthError>{};
  if ((*found)->client_id != client.client_id) co_return std::unexpected(not_the_clients());
  co_return co_await revoke_family(context_, (*found)->family);
}

}  // namespace gatehouse::keymanager
