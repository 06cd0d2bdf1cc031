// What the admin listener answers, as a pure function of the request line: no I/O, so that the
// routes can be tested without a socket.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace gatehouse::observability {
class Metrics;
}

namespace gatehouse::admin {

struct AdminResponse {
  int status = 200;
  std::string content_type;
  std::string body;   // for HEAD, the body a GET would get: its length goes in Content-Length
  std::string allow;  // the Allow header of a 405; empty otherwise
};

// `target` is the request target as received ("/metrics", "/readyz?verbose").
AdminResponse route_admin_request(std::string_view method, std::string_view target,
                                  const observability::Metrics& metrics,
                                  const std::function<bool()>& ready);

}  // namespace gatehouse::admin
