// Revoking a family, every token issued from one grant the user authorised: when a refresh token
// or an authorization code is presented a second time (one of the two presenters is a thief,
// OAuth 2.0 Security BCP section 4.14.2 and RFC 6749 section 4.1.2), and when the client revokes
// a refresh token (RFC 7009 section 2.1 lets the server revoke the grant's access tokens too).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <string>

#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

// Removes the family's refresh tokens and revokes its access tokens: in the store, then in the
// in-memory lists (and the opaque ones out of the table of live ones), so that every worker
// refuses them at once. An unknown family revokes nothing.
boost::asio::awaitable<std::expected<void, OAuthError>> revoke_family(ServerContext& context,
                                                                      std::string family);

}  // namespace gatehouse::keymanager
