// An authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3, OpenID Connect Core
// section 3.1.2.1), read from the query of a GET or the form of a POST to /oauth2/authorize and
// checked against the client's registration:
//   client_id     a known client;
//   redirect_uri  exactly one of the client's redirect_uris; may be left out when it has one;
//   response_type code; or token (the implicit grant, RFC 6749 section 4.2) for a client that
//                 lists `implicit` in its grant_types, which none does unless configured to (the
//                 Security BCP deprecates it: the token travels in the browser's URL);
//   response_mode query for code, fragment for token (never a token in a query);
//   scope         of the client's scopes, plus openid for any client of the authorization code
//                 grant (an OpenID Connect client asks for openid; registering it is not needed);
//                 absent: the client's scopes;
//   state, nonce  carried through, up to 1024 characters each;
//   code_challenge, code_challenge_method   PKCE; S256, or plain (the default, RFC 7636 4.3) for a
//                 confidential client only; a public client must send an S256 challenge;
//   prompt        none, login, consent (none alone).
#pragma once

#include <boost/json/object.hpp>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "keymanager/server/client.h"
#include "keymanager/server/client_directory.h"
#include "keymanager/server/form.h"
#include "keymanager/server/oauth_error.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view authorization_code_grant_type = "authorization_code";
inline constexpr std::string_view implicit_grant_type = "implicit";

// What the browser brings back to the client: a code (in the query), or, for the implicit grant,
// the access token itself (in the fragment, which the browser does not send on to any server).
enum class ResponseType : uint8_t { code, token };

struct Prompt {
  bool none = false;     // answer without showing the user anything, or fail
  bool login = false;    // ask for the password even with a session
  bool consent = false;  // ask for consent even when it was given before
};

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;  // where the browser goes back to: the given one, or the only one
  bool redirect_uri_given = false;  // then the token request must repeat it (RFC 6749 4.1.3)
  std::string scope;
  std::string state;
  std::string nonce;
  std::string code_challenge;  // empty: none
  std::string code_challenge_method;
  Prompt prompt;
  ResponseType response_type = ResponseType::code;
};

// Why a request cannot be served. An unknown client or redirect_uri must not send the browser
// anywhere (RFC 6749 section 4.1.2.1): `redirect_uri` is empty, and the user sees an error page.
// Any other error goes back to the client at `redirect_uri`, with the request's state.
struct AuthorizationFailure {
  OAuthError error;
  std::string redirect_uri;
  std::string state;
  bool in_fragment = false;  // a response_type=token request's: RFC 6749 section 4.2.2.1
};

std::expected<AuthorizationRequest, AuthorizationFailure> read_authorization_request(
    const Form& parameters, const ClientDirectory& clients);

// The same checks for a request whose client is known already: a pushed request (RFC 9126), whose
// client authenticated and may leave client_id out of the form. A client_id in the form is the
// client's (client authentication checked it).
std::expected<AuthorizationRequest, AuthorizationFailure> read_authorization_request(
    const Form& parameters, const Client& client);

// The scopes a client may be granted through the authorization endpoint: its own, and openid.
std::vector<std::string> authorizable_scopes(const Client& client);

// The scope a user is asked to grant the client: the requested one when it is authorizable
// (else invalid_scope), the client's scopes when none is requested.
std::expected<std::string, OAuthError> authorization_scope(
    std::optional<std::string_view> requested, const Client& client);

// The request as the claims of the page's signed form value, and back (nullopt when a member is
// missing: a value made by another version of this code).
boost::json::object request_claims(const AuthorizationRequest& request);
std::optional<AuthorizationRequest> request_of_claims(const boost::json::object& claims);

}  // namespace gatehouse::keymanager
