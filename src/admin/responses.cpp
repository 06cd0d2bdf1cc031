#include "admin/responses.h"

#include <boost/json/serialize.hpp>

#include "security/auth/application_directory.h"

namespace gatehouse::admin {

namespace {
constexpr std::string_view kJson = "application/json";
}

AdminResponse json_response(int status, const boost::json::object& body) {
  return {status, std::string(kJson), boost::json::serialize(body), {}};
}

AdminResponse json_text_response(int status, std::string body) {
  return {status, std::string(kJson), std::move(body), {}};
}

AdminResponse error_response(const ApiError& error) {
  return json_text_response(error.status, error.json_body());
}

AdminResponse bad_request(std::string_view why) {
  return error_response(errors::bad_request(why));
}

AdminResponse not_found(std::string_view why) {
  return error_response(ApiError{404, 404, "Not Found", std::string(why)});
}

AdminResponse conflict(std::string_view why) {
  return error_response(ApiError{409, 409, "Conflict", std::string(why)});
}

AdminResponse server_error(std::string_view why) {
  return error_response(ApiError{500, 500, "Internal Server Error", std::string(why)});
}

AdminResponse refused(const security::DirectoryRefusal& refusal) {
  switch (refusal.kind) {
    case security::DirectoryRefusal::not_found:
      return not_found(refusal.message);
    case security::DirectoryRefusal::conflict:
      return conflict(refusal.message);
    case security::DirectoryRefusal::invalid:
      break;
  }
  return bad_request(refusal.message);
}

AdminResponse not_allowed(std::string_view method, std::string_view allow) {
  AdminResponse response = error_response(errors::method_not_allowed(method));
  response.allow = std::string(allow);
  return response;
}

}  // namespace gatehouse::admin
