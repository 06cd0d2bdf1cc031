#include "keymanager/server/bearer_challenge.h"

#include <boost/json/object.hpp>

#include <string>

#include "http/message.h"
#include "keymanager/server/oauth_error.h"

namespace gatehouse::keymanager {

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  std::optional<std::string_view> credentials = http::after_scheme(authorization, "Bearer");
  if (!credentials) return std::nullopt;
  std::string_view token = *credentials;
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

OAuthAnswer bearer_refusal(int status, std::string_view realm, std::string_view error,
                           std::string_view description, std::string_view scope) {
  std::string challenge = "Bearer realm=" + http_quoted(realm);
  boost::json::object body{{"error_description", description}};
  if (!error.empty()) {
    challenge += ", error=" + http_quoted(error);
    body["error"] = error;
  }
  if (!scope.empty()) challenge += ", scope=" + http_quoted(scope);
  OAuthAnswer answer = no_store_answer(status, body);
  answer.headers.emplace_back("WWW-Authenticate", std::move(challenge));
  return answer;
}

}  // namespace gatehouse::keymanager
