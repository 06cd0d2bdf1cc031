// The error answers of RFC 6749 section 5.2, which every OAuth2 endpoint of the key manager uses
// (RFC 7009 and RFC 7662 take them over): {"error", "error_description"}, 400, or 401 for
// invalid_client; and the codes the authorization endpoint sends back with the browser.
//
// A description is shown to the client and may be logged: it says what was wrong with the
// request in fixed words, never a secret, a token or a value the client sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

enum class OAuthErrorCode : uint8_t {
  invalid_request,         // a parameter missing, repeated, or malformed; a second auth method
  invalid_client,          // client authentication failed: unknown client, wrong secret, none
  invalid_grant,           // the grant (password, refresh token, code...) is invalid or expired
  unauthorized_client,     // the client may not use this grant type
  unsupported_grant_type,  // no grant of this type exists here
  invalid_scope,           // the scope is malformed or exceeds what the client may have
  server_error,            // the key manager failed (its store): 500, the client may retry
  invalid_target,          // RFC 8693 section 2.2.2: an audience or resource not allowed
  // Too many failed attempts from the address or for the client or user (failed_attempts.h): 429
  // with Retry-After, the credentials unchecked. RFC 6749 section 4.1.2.1's code for a server
  // that cannot take the request for now.
  temporarily_unavailable,
  // The authorization endpoint's, sent to the client's redirect_uri (RFC 6749 section 4.1.2.1,
  // OpenID Connect Core section 3.1.2.6).
  access_denied,              // the user refused
  unsupported_response_type,  // a response_type other than code
  login_required,             // prompt=none, and the user has no session
  consent_required,           // prompt=none, and the user has not agreed to this scope
  // The device authorization grant's, at the token endpoint (RFC 8628 section 3.5).
  authorization_pending,  // the user has not answered yet: poll again
  slow_down,              // as authorization_pending, and the client polls too often
  expired_token,          // the device code expired: start again
};

std::string_view to_string(OAuthErrorCode code);

struct OAuthError {
  OAuthErrorCode code;
  std::string description;
  // For the log only, never the client: why a server_error happened (the store's error).
  std::string cause = {};
  // temporarily_unavailable's Retry-After, in seconds.
  int64_t retry_after = 0;
};

// invalid_client is 401 with `WWW-Authenticate: Basic realm="<realm>"` whether or not the client
// used the Authorization header: RFC 6749 requires the challenge only then, but HTTP requires one
// on every 401 (RFC 9110 section 15.5.2), and telling clients that Basic is accepted does no harm.
// Every error answer is no-store, like the answers it replaces.
OAuthAnswer error_answer(const OAuthError& error, std::string_view realm);

// `text` as an HTTP quoted-string (RFC 9110 section 5.6.4), for a challenge's parameters: a quote
// or backslash in it would end the string early.
std::string http_quoted(std::string_view text);

}  // namespace gatehouse::keymanager
