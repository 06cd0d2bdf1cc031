// The key manager's metadata (RFC 8414, OpenID Connect Discovery 1.0), one document served at both
// /.well-known/openid-configuration and /.well-known/oauth-authorization-server, and its JWKS.
// Client libraries configure themselves from these alone.
#pragma once

#include <boost/json/object.hpp>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

// issuer, the endpoints' URLs, jwks_uri, grant_types_supported (the registry's), the client
// authentication methods of each endpoint, response_types_supported (code), response_modes
// (query), code_challenge_methods (S256, plain), the iss of authorization responses (RFC 9207),
// prompt values, scopes_supported (openid and the clients' scopes), subject_types_supported and
// the ID token's signing alg.
boost::json::object discovery_document(const ServerContext& context);

OAuthAnswer discovery_answer(const ServerContext& context);
OAuthAnswer jwks_answer(const ServerContext& context);

}  // namespace gatehouse::keymanager
