// Opaque access tokens, for a client whose access_token_format is opaque: a random string that
// carries nothing, so that whoever holds it learns nothing from it. What a JWT would carry
// (access_token_payload) is stored by the token's hash, before the token is handed out, so that an
// acknowledged token survives a restart; and it is kept in the process's table of live opaque
// tokens (security::ResidentOpaqueTokens), from which this key manager's endpoints and the
// gateway's `resident` key manager resolve it without a store call.
//
// The token is "gat_" and 43 base64url characters (256 bits): recognisable to a secret scanner,
// and without dots, so that the gateway never takes it for a JWT and introspects it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <string_view>
#include <vector>

#include "keymanager/server/access_token.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/grant_store.h"
#include "security/auth/resident_opaque_tokens.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view opaque_token_prefix = "gat_";

boost::asio::awaitable<std::expected<AccessToken, OAuthError>> issue_opaque_access_token(
    ServerContext& context, const AccessTokenClaims& claims);

// Puts the tokens the store kept into the table: at start. A record whose claims are no JSON
// object (a store edited by hand) is left out: it could not be resolved anyway.
void remember_opaque_tokens(security::ResidentOpaqueTokens& table,
                            const std::vector<OpaqueTokenRecord>& records);

}  // namespace gatehouse::keymanager
