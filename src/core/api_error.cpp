#include "core/api_error.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace gatehouse {

std::string ApiError::json_body() const {
  boost::json::object body;
  body["code"] = code;
  body["message"] = message;
  body["description"] = description;
  return boost::json::serialize(body);
}

namespace errors {

ApiError bad_request(std::string_view description) {
  return {400, 400, "Bad Request", std::string(description)};
}
ApiError no_matching_resource(std::string_view path) {
  return {404, 404, "No matching resource found for given API Request",
          "The requested resource " + std::string(path) + " is not available."};
}
ApiError method_not_allowed(std::string_view method) {
  return {405, 405, "Method not allowed",
          "The requested method " + std::string(method) + " is not allowed for this resource."};
}
ApiError request_timeout() {
  return {408, 408, "Request Timeout", "The request was not received in time."};
}
ApiError payload_too_large(uint64_t limit) {
  return {413, 413, "Payload Too Large",
          "The request body exceeds the limit of " + std::to_string(limit) + " bytes."};
}
ApiError uri_too_long(size_t limit) {
  return {414, 414, "URI Too Long",
          "The request target exceeds the limit of " + std::to_string(limit) + " bytes."};
}
ApiError headers_too_large() {
  return {431, 431, "Request Header Fields Too Large",
          "The request headers exceed the configured size or count."};
}
ApiError backend_unavailable(std::string_view api) {
  return {503, 101503, "Runtime Error",
          "No backend endpoint of API " + std::string(api) + " is reachable."};
}
ApiError backend_timeout(std::string_view api) {
  return {504, 101504, "Runtime Error",
          "The backend of API " + std::string(api) + " did not respond in time."};
}
ApiError bad_gateway(std::string_view description) {
  return {502, 101500, "Runtime Error", std::string(description)};
}
ApiError not_implemented(std::string_view description) {
  return {501, 501, "Not Implemented", std::string(description)};
}

}  // namespace errors
}  // namespace gatehouse
