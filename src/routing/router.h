// Maps (host, method, path) to an API and one of its resources. Built once per snapshot;
// matching costs a few hash lookups per path segment, independent of the number of APIs.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::routing {

// One resource of one API, as the router needs to know it.
struct RouteSpec {
  std::string host;           // empty: any host; otherwise matched case-insensitively, port ignored
  std::string prefix;         // "/pizzashack/1.0.0" (context + version), or "/pizzashack"
  std::string path_template;  // "/menu", "/order/{orderId}", "/files/*", "/*"
  std::vector<std::string> methods;  // "GET", "POST", ...; "*" matches any method
  uint32_t api = 0;           // opaque indices handed back on a match
  uint32_t resource = 0;
};

struct PathParam {
  std::string_view name;   // points into the router's storage
  std::string_view value;  // points into the matched path
};

enum class MatchStatus { found, not_found, method_not_allowed };

struct Match {
  MatchStatus status = MatchStatus::not_found;
  uint32_t api = 0;
  uint32_t resource = 0;
  std::string_view resource_path;  // the path after the prefix ("/order/42"); "/" if empty
  std::vector<PathParam> params;
  std::string allow;               // for method_not_allowed: "GET, POST"
};

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

  // `path` is the request path without the query, not yet percent-decoded.
  Match match(std::string_view host, std::string_view method, std::string_view path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::routing
