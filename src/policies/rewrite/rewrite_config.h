// `type: rewrite`: the path sent to the backend instead of the resource path.
//
//   - type: rewrite
//     path: /orders/{orderId}/summary
//
// `{name}` is replaced by the value of the resource's path parameter of that name, as received
// (still percent-encoded). Which parameters a resource has is not known when a policy is
// compiled, so a name the matched resource does not define is replaced by nothing. The query
// string of the request is kept by the proxy and is not part of the template.
#pragma once

#include <string>
#include <vector>

#include "config/node.h"
#include "policies/policy_config.h"

namespace gatehouse::policies {

// The template cut into literal text and parameter references, in order.
struct PathPiece {
  enum class Kind { literal, parameter };
  Kind kind;
  std::string text;  // the literal, or the parameter's name
};

struct RewriteConfig {
  std::vector<PathPiece> path;
};

Parsed<RewriteConfig> parse_rewrite_config(const config::Node& node);

}  // namespace gatehouse::policies
