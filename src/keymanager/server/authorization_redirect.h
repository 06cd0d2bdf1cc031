// The answers that send the browser back to the client (RFC 6749 section 4.1.2): 303 See Other
// (after the form's POST, the browser must GET the client's URI) to the redirect_uri with the
// parameters added to its query (which is kept, section 3.1.2), the request's state when it had
// one, and iss (RFC 9207: the client can tell which server answered, against mix-up attacks).
// The implicit grant's answers carry them in the fragment instead (section 4.2.2).
#pragma once

#include <string_view>

#include "keymanager/server/access_token.h"
#include "keymanager/server/authorization_request.h"
#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

OAuthAnswer redirect_with_code(const AuthorizationRequest& request, std::string_view code,
                               std::string_view issuer);

// The implicit grant's access token, in the fragment.
OAuthAnswer redirect_with_token(const AuthorizationRequest& request, const AccessToken& token,
                                std::string_view scope, UnixSeconds now, std::string_view issuer);

// `failure` must name a redirect_uri (one without is an error page instead).
OAuthAnswer redirect_with_error(const AuthorizationFailure& failure, std::string_view issuer);

}  // namespace gatehouse::keymanager
