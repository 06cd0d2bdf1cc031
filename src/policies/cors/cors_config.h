// `type: cors`: Cross-Origin Resource Sharing as the Fetch standard defines it.
//
//   - type: cors
//     allow_origins: ["https://app.example", "https://admin.example:8443"]   # or ["*"]
//     allow_methods: [GET, POST]          # default: GET, PUT, POST, DELETE, PATCH, OPTIONS
//     allow_headers: [Authorization, Content-Type]   # default: Authorization, Content-Type, apikey
//     expose_headers: [X-Request-ID]      # default: none
//     allow_credentials: true             # default: false
//     max_age: 600                        # seconds a browser may cache a preflight; default: unset
//
// Origins are written as browsers send them: scheme://host[:port], no path. With
// `allow_credentials: true`, "*" is refused in every list, because browsers ignore the wildcard
// for credentialed requests and a config that looks open would silently not work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/node.h"
#include "policies/policy_config.h"

namespace gatehouse::policies {

struct CorsConfig {
  bool any_origin = false;                 // "*" was listed
  std::vector<std::string> allow_origins;  // the other entries, lower case
  std::vector<std::string> allow_methods = {"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"};
  std::vector<std::string> allow_headers = {"Authorization", "Content-Type", "apikey"};
  std::vector<std::string> expose_headers;
  bool allow_credentials = false;
  std::optional<uint64_t> max_age_seconds;
};

Parsed<CorsConfig> parse_cors_config(const config::Node& node);

}  // namespace gatehouse::policies
