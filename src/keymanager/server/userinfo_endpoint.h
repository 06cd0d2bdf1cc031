// GET and POST /oauth2/userinfo (OpenID Connect Core section 5.3): what the key manager knows of
// the user an access token was issued for. The token comes as `Authorization: Bearer` (RFC 6750
// section 2.1; not in a form body or the query, which leak into logs); it must be one this key
// manager issued, valid now and not revoked (resolve_access_token: a JWT or an opaque one), and
// its scope must have openid. The answer, no-store:
//   {"sub", "name"?, "roles"?}   name and roles when the users section has the subject
// Errors are RFC 6750 section 3's: 401 with `WWW-Authenticate: Bearer realm=...` when no token
// came, 401 error="invalid_token" for a token that is not valid, 403 error="insufficient_scope"
// without openid; each with the same error as JSON.
#pragma once

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class UserinfoEndpoint {
 public:
  explicit UserinfoEndpoint(ServerContext& context) : context_(context) {}

  // GET or POST; the caller has refused other methods.
  OAuthAnswer handle(const OAuthRequest& request) const;

 private:
  // The RFC 6750 answer: `error` empty when the request had no token.
  OAuthAnswer refuse(int status, std::string_view error, std::string_view description) const;

  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
