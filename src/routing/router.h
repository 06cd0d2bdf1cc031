// Maps (host, method, path) to an API and one of its resources. Built once per snapshot;
// matching costs a few hash lookups per path segment, independent of the number of APIs.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "routing/path_params.h"

namespace gatehouse::routing {

// One resource of one API, as the router needs to know it.
struct RouteSpec {
  std::string host;           // empty: any host; otherwise matched case-insensitively, port ignored
  std::string prefix;         // "/pizzashack/1.0.0" (context + version), or "/pizzashack"
  std::string path_template;  // "/menu", "/order/{orderId}", "/files/*", "/*"
  std::vector<std::string> methods;  // "GET", "POST", ...; "*" matches any method
  uint32_t api = 0;                  // opaque indices handed back on a match
  uint32_t resource = 0;
};

enum class MatchStatus { found, not_found, method_not_allowed };

struct Match {
  MatchStatus status = MatchStatus::not_found;
  uint32_t api = 0;                // found; method_not_allowed: the API of a route on the path
  uint32_t resource = 0;           // found only
  std::string_view resource_path;  // the path after the prefix ("/order/42"); "/" if empty
  PathParams params;               // in template order
  std::string allow;               // for method_not_allowed: "GET, HEAD, POST"
};

// Templates: a segment is a literal, "{name}" (one non-empty segment) or a last "*" (zero or more
// segments). At each segment a literal beats a parameter, which beats the wildcard; a failed
// branch backtracks. A request's host tries the routes of that host first, then those for any
// host. A trailing '/' in the request is ignored. Paths compare as given: the gateway gives the
// request path's normal form (http/path_normalizer.h), not what was received.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Fails (with the index into `routes` of the offending spec and a message) when two specs would
  // match the same host, path and method, or a template is malformed.
  struct BuildError {
    size_t route;
    std::string message;
  };
  static std::expected<Router, BuildError> build(std::vector<RouteSpec> routes);

  // `path` is the request path without the query, in its normal form. GET routes also serve
  // HEAD unless HEAD has its own route. Does not allocate unless the status is
  // method_not_allowed or the route has more parameters than PathParams holds inline.
  Match match(std::string_view host, std::string_view method, std::string_view path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::routing
