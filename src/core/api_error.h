// The error a client sees: an HTTP status and the JSON body
// {"code": N, "message": "...", "description": "..."}, with WSO2's codes where WSO2 has one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

struct ApiError {
  int status = 500;
  int code = 500;
  std::string message;
  std::string description;

  std::string json_body() const;
};

// The errors the engine itself produces; policies build their own ApiError values.
namespace errors {
ApiError bad_request(std::string_view description);
ApiError no_matching_resource(std::string_view path);    // 404, WSO2 404
ApiError method_not_allowed(std::string_view method);    // 405
ApiError request_timeout();                              // 408
ApiError payload_too_large(uint64_t limit);              // 413
ApiError uri_too_long(size_t limit);                     // 414
ApiError headers_too_large();                            // 431
ApiError backend_unavailable(std::string_view api);      // 503, WSO2 101503
ApiError backend_timeout(std::string_view api);          // 504, WSO2 101504
ApiError bad_gateway(std::string_view description);      // 502, WSO2 101500
ApiError not_implemented(std::string_view description);  // 501
}  // namespace errors

}  // namespace gatehouse
