// The admin routes' JSON answers: a body they build, or the gateway's JSON error body.
#pragma once

#include <boost/json/object.hpp>

#include "admin/admin_routes.h"
#include "core/api_error.h"

namespace gatehouse::security {
struct DirectoryRefusal;
}

namespace gatehouse::admin {

AdminResponse json_response(int status, const boost::json::object& body);
// A body that is JSON text already.
AdminResponse json_text_response(int status, std::string body);
AdminResponse error_response(const ApiError& error);
AdminResponse bad_request(std::string_view why);
AdminResponse not_found(std::string_view why);
AdminResponse conflict(std::string_view why);
AdminResponse server_error(std::string_view why);
// A change the application directory refused: 404, 409 or 400 as its kind says.
AdminResponse refused(const security::DirectoryRefusal& refusal);
// 405 with the Allow header: "GET, HEAD".
AdminResponse not_allowed(std::string_view method, std::string_view allow);

}  // namespace gatehouse::admin
