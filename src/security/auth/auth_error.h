// Why a caller was refused, and how WSO2 tells it: the JSON error body with WSO2's code, the HTTP
// status, and the RFC 6750 `WWW-Authenticate` challenge for bearer-token failures. The reason
// text is for the client and the log; it never contains the credential itself.
#pragma once

#include <string>
#include <string_view>

#include "core/api_error.h"

namespace gatehouse::security {

enum class AuthFailure {
  invalid_credentials,      // 401 900901: bad signature, expired, unknown issuer, wrong password
  missing_credentials,      // 401 900902: nothing the API accepts was sent
  wrong_token_type,         // 401 900905: e.g. a sandbox key where only production is served
  api_blocked,              // 401 900907: the subscription (or API) is blocked
  subscription_inactive,    // 401 900909: the subscription is on hold or rejected
  resource_forbidden,       // 403 900908: not subscribed, or a key restriction refuses the caller
  no_matching_resource,     // 403 900906: the API admits the caller but has no such resource
  scope_not_allowed,        // 403 900910: the token lacks every scope the resource asks for
  key_manager_unreachable,  // 500 900900: the key manager could not be asked (JWKS, introspection)
};

struct AuthError {
  AuthFailure failure;
  std::string reason;  // a short description; shown to the client and logged
};

// The error body and status for `error`.
ApiError to_api_error(const AuthError& error);

// The RFC 6750 challenge, or empty where none applies (a 500): `Bearer realm="gatehouse"`
// plus `error="invalid_token"` / `"insufficient_scope"` and a description where RFC 6750 asks.
std::string www_authenticate(const AuthError& error, std::string_view scheme = "Bearer");

}  // namespace gatehouse::security
