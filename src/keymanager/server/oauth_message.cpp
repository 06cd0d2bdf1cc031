#include "keymanager/server/oauth_message.h"

#include <boost/json/serialize.hpp>

namespace gatehouse::keymanager {

OAuthAnswer json_answer(int status, const boost::json::object& body) {
  return OAuthAnswer{
      .status = status, .content_type = "application/json", .body = boost::json::serialize(body)};
}

OAuthAnswer method_not_allowed(std::string_view allow) {
  OAuthAnswer answer =
      json_answer(405, {{"error", "invalid_request"}, {"error_description", "method not allowed"}});
  answer.headers.emplace_back("Allow", allow);
  return answer;
}

OAuthAnswer no_store_answer(int status, const boost::json::object& body) {
  OAuthAnswer answer = json_answer(status, body);
  answer.headers.emplace_back("Cache-Control", "no-store");
  answer.headers.emplace_back("Pragma", "no-cache");
  return answer;
}

}  // namespace gatehouse::keymanager
