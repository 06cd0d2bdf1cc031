// An assertion is accepted once (RFC 7523 section 3, item 7): its jti is recorded in the grant
// store, on the store thread, until the assertion expires, so a replay is refused on every worker
// and after a restart.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>

#include "keymanager/server/jwt_assertion.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

// Records the assertion's jti; a replay is `replay_error` (invalid_client for a client's
// assertion, invalid_grant for a grant's), a failing store server_error.
boost::asio::awaitable<std::expected<void, OAuthError>> consume_assertion(
    ServerContext& context, const CheckedAssertion& assertion, UnixSeconds now,
    OAuthErrorCode replay_error);

}  // namespace gatehouse::keymanager
