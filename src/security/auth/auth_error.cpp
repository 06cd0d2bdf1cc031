#include "security/auth/auth_error.h"

namespace gatehouse::security {
namespace {

struct Wso2Error {
  int status;
  int code;
  std::string_view message;
};

Wso2Error wso2_error(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::invalid_credentials:
      return {401, 900901, "Invalid Credentials"};
    case AuthFailure::missing_credentials:
      return {401, 900902, "Missing Credentials"};
    case AuthFailure::wrong_token_type:
      return {401, 900905, "Incorrect Access Token Type is provided"};
    case AuthFailure::api_blocked:
      return {401, 900907, "The requested API is temporarily blocked"};
    case AuthFailure::subscription_inactive:
      return {401, 900909, "The subscription to the API is inactive"};
    case AuthFailure::resource_forbidden:
      return {403, 900908, "Resource forbidden"};
    case AuthFailure::no_matching_resource:
      return {403, 900906, "No matching resource found in the API for the given request"};
    case AuthFailure::scope_not_allowed:
      return {403, 900910, "The access token does not allow you to access the requested resource"};
    case AuthFailure::key_manager_unreachable:
      return {500, 900900, "Unclassified Authentication Failure"};
  }
  return {500, 900900, "Unclassified Authentication Failure"};
}

// A description inside a quoted-string: RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E only.
std::string quoted_safe(std::string_view text) {
  std::string safe;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte <= 0x7e && c != '"' && c != '\\') safe.push_back(c);
  }
  return safe;
}

}  // namespace

ApiError to_api_error(const AuthError& error) {
  const Wso2Error wso2 = wso2_error(error.failure);
  return ApiError{wso2.status, wso2.code, std::string(wso2.message), error.reason};
}

std::string www_authenticate(const AuthError& error, std::string_view scheme) {
  std::string challenge = std::string(scheme) + " realm=\"gatehouse\"";
  switch (error.failure) {
    case AuthFailure::missing_credentials:
      return challenge;  // RFC 6750 3.1: no error code when no credentials were sent
    case AuthFailure::scope_not_allowed:
      return challenge + ", error=\"insufficient_scope\", error_description=\"" +
             quoted_safe(error.reason) + "\"";
    case AuthFailure::key_manager_unreachable:
    case AuthFailure::resource_forbidden:
    case AuthFailure::no_matching_resource:
      return {};
    default:
      return challenge + ", error=\"invalid_token\", error_description=\"" +
             quoted_safe(error.reason) + "\"";
  }
}

}  // namespace gatehouse::security
