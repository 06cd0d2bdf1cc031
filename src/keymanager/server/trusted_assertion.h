// A JWT from one of the trusted issuers (Settings::trusted_issuers) taken as a user's identity:
// the JWT bearer grant's assertion, a token exchange's subject or actor token. Checked as every
// assertion is (jwt_assertion.h) against that issuer's keys, within its max_token_lifetime, its
// aud against the issuer's configured audience (else this key manager's issuer or token endpoint
// URL). An assertion (the JWT bearer grant's) is accepted once: its jti is recorded. A token
// (token exchange's) is accepted while it is valid: a service exchanges the token it was called
// with for each service it calls in turn, as RFC 8693 intends.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

enum class TrustedJwtUse : uint8_t { once, while_valid };

struct TrustedAssertion {
  std::string subject;  // the issuer's subject_claim
  boost::json::object claims;
};

// invalid_grant for a JWT of no trusted issuer, one that fails the checks, has no subject, or
// (once) was used before; server_error when the store fails.
boost::asio::awaitable<std::expected<TrustedAssertion, OAuthError>> accept_trusted_assertion(
    ServerContext& context, std::string_view token, UnixSeconds now, TrustedJwtUse use);

}  // namespace gatehouse::keymanager
