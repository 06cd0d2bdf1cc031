// One of this key manager's access tokens, whichever its client's format: a JWT it signed
// (verify_access_token: a key of the ring, typ, issuer, expiry) or an opaque token among the live
// ones (opaque_access_token.h), not revoked. What introspection, revocation, userinfo, token
// exchange and the downscope grant accept as an access token of theirs.
#pragma once

#include <boost/json/object.hpp>

#include <memory>
#include <string_view>

#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

// The token's claims; null for anything else (another issuer's, malformed, expired, revoked,
// unknown, or of a client that no longer exists), whatever the reason, as introspection answers
// only active or not.
std::shared_ptr<const boost::json::object> resolve_access_token(ServerContext& context,
                                                                std::string_view token,
                                                                UnixSeconds now);

}  // namespace gatehouse::keymanager
