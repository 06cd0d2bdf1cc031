#include "keymanager/server/oauth_error.h"

#include <boost/json/object.hpp>

namespace gatehouse::keymanager {

std::string_view to_string(OAuthErrorCode code) {
  switch (code) {
    case OAuthErrorCode::invalid_request:
      return "invalid_request";
    case OAuthErrorCode::invalid_client:
      return "invalid_client";
    case OAuthErrorCode::invalid_grant:
      return "invalid_grant";
    case OAuthErrorCode::unauthorized_client:
      return "unauthorized_client";
    case OAuthErrorCode::unsupported_grant_type:
      return "unsupported_grant_type";
    case OAuthErrorCode::invalid_scope:
      return "invalid_scope";
    case OAuthErrorCode::server_error:
      return "server_error";
    case OAuthErrorCode::invalid_target:
      return "invalid_target";
    case OAuthErrorCode::temporarily_unavailable:
      return "temporarily_unavailable";
    case OAuthErrorCode::access_denied:
      return "access_denied";
    case OAuthErrorCode::unsupported_response_type:
      return "unsupported_response_type";
    case OAuthErrorCode::login_required:
      return "login_required";
    case OAuthErrorCode::consent_required:
      return "consent_required";
    case OAuthErrorCode::authorization_pending:
      return "authorization_pending";
    case OAuthErrorCode::slow_down:
      return "slow_down";
    case OAuthErrorCode::expired_token:
      return "expired_token";
  }
  return "server_error";
}

OAuthAnswer error_answer(const OAuthError& error, std::string_view realm) {
  boost::json::object body{{"error", to_string(error.code)}};
  if (!error.description.empty()) body["error_description"] = error.description;
  switch (error.code) {
    case OAuthErrorCode::invalid_client: {
      OAuthAnswer answer = no_store_answer(401, body);
      answer.headers.emplace_back("WWW-Authenticate", "Basic realm=" + http_quoted(realm));
      return answer;
    }
    case OAuthErrorCode::server_error:
      return no_store_answer(500, body);
    case OAuthErrorCode::temporarily_unavailable: {
      OAuthAnswer answer = no_store_answer(429, body);
      answer.headers.emplace_back("Retry-After", std::to_string(error.retry_after));
      return answer;
    }
    default:
      return no_store_answer(400, body);
  }
}

std::string http_quoted(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace gatehouse::keymanager
