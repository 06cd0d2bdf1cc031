// A response the gateway gives itself instead of asking the backend (an error, a CORS preflight,
// a policy's own answer).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/api_error.h"

namespace gatehouse::pipeline {

struct LocalResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";

  // WSO2's JSON error body for `error`, with its status.
  static LocalResponse from_error(const ApiError& error);
};

}  // namespace gatehouse::pipeline
