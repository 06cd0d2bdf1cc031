// private_key_jwt (RFC 7523 section 2.2, OpenID Connect Core section 9): a client proves itself
// with a JWT it signed, sent as
//   client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
//   client_assertion=<JWT>  with iss = sub = its client_id, aud naming this server (the token
//                           endpoint's URL or the issuer), exp at most 5 minutes ahead, and a jti
// checked against the client's public keys (jwt_assertion.h). The client is found by the
// assertion's iss, and a client_id in the form beside it must name the same client.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/client.h"
#include "keymanager/server/client_directory.h"
#include "keymanager/server/form.h"
#include "keymanager/server/jwt_assertion.h"
#include "keymanager/server/oauth_error.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view client_assertion_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// Long enough for any clock and network; short enough that a leaked assertion, and the jtis kept
// against its replay, soon expire.
inline constexpr std::chrono::seconds max_client_assertion_lifetime{300};

// Whether the client chose this method: the form has client_assertion or client_assertion_type.
bool uses_client_assertion(const Form& form);

struct ClientAssertion {
  ClientPtr client;
  CheckedAssertion assertion;  // its jti still to be recorded (assertion_replay.h)
};

// The client whose assertion this is. invalid_request when client_assertion_type or
// client_assertion is missing or of another type; invalid_client for anything else wrong (an
// unknown client or one without keys, iss other than sub, wrong aud, expired, a bad signature, an
// unknown kid).
std::expected<ClientAssertion, OAuthError> check_client_assertion(
    const Form& form, const ClientDirectory& clients, std::vector<std::string> audiences,
    UnixSeconds now);

}  // namespace gatehouse::keymanager
