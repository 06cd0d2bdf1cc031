// The bearer token scheme of RFC 6750, for the endpoints that take a token in the Authorization
// header (userinfo, client registration): reading the token, and refusing it with a challenge.
#pragma once

#include <optional>
#include <string_view>

#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

// The token of `Authorization: Bearer <token>` (the scheme is case-insensitive); nullopt when the
// header is absent or of another scheme.
std::optional<std::string_view> bearer_token(std::string_view authorization);

// The RFC 6750 section 3 answer, no-store, with `WWW-Authenticate: Bearer realm=...`: `error`
// empty when the request had no token (section 3.1), `scope` empty unless the error is
// insufficient_scope.
OAuthAnswer bearer_refusal(int status, std::string_view realm, std::string_view error,
                           std::string_view description, std::string_view scope = {});

}  // namespace gatehouse::keymanager
