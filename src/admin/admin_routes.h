// What the admin listener answers, as a function of the request and the services it reaches: no
// I/O, so that the routes can be tested without a socket.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace gatehouse::observability {
class Metrics;
}
namespace gatehouse::security {
class Revocations;
}

namespace gatehouse::admin {

struct AdminResponse {
  int status = 200;
  std::string content_type;
  std::string body;   // for HEAD, the body a GET would get: its length goes in Content-Length
  std::string allow;  // the Allow header of a 405; empty otherwise
};

struct AdminRequest {
  std::string_view method;
  std::string_view target;  // as received ("/metrics", "/readyz?verbose")
  std::string_view body;
};

// What the routes read and act on; all outlive the admin server.
struct AdminServices {
  const observability::Metrics& metrics;
  std::function<bool()> ready;
  security::Revocations* revocations = nullptr;  // null: /revocations is not served
  // The JWKS that publishes the gateway's signing key (tokens::GatewayKey::jwks_json), read per
  // request so that a reload's new key shows at once; unset or "": /jwks is not served.
  std::function<std::string()> jwks;
};

AdminResponse route_admin_request(const AdminRequest& request, const AdminServices& services);

}  // namespace gatehouse::admin
