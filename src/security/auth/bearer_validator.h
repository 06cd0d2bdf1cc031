// OAuth2 access tokens: a JWT is verified by the key manager its `iss` names; any other token is
// introspected at the key managers that may have issued it. The result is a Principal, cached by
// the token's hash until it expires. Requests of one worker that present a token it is already
// validating wait for that validation (ValidationsInFlight) rather than start another.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <span>
#include <string_view>

#include "security/auth/auth_error.h"
#include "security/auth/principal.h"
#include "security/auth/security_state.h"

namespace gatehouse::security {

// Validates a token the calling worker's cache did not hold, and caches the result.
// `introspectors`: the key managers asked, in order, about a token that is not a JWT.
boost::asio::awaitable<std::expected<PrincipalPtr, AuthError>> validate_bearer(
    const SecurityState& state, std::string_view token, const TokenDigest& digest,
    std::span<const KeyManager* const> introspectors);

// Seconds since the epoch, as tokens count time.
int64_t epoch_seconds();

}  // namespace gatehouse::security
