// `type: headers`: header edits toward the backend (`request`) and toward the client (`response`).
//
//   - type: headers
//     request:
//       set: {X-Gateway: gatehouse}      # replaces every received header of that name
//       add: {X-Trace: "on"}             # appended; received headers of that name stay
//       remove: [X-Internal-Token]
//     response:
//       remove: [Server]
//
// Within one direction, removals apply first, then `set`, then `add`. Headers that frame the
// message or the connection (Content-Length, Transfer-Encoding, Connection, ...) belong to the
// gateway and cannot be edited here, nor can, toward the backend, the headers the gateway writes
// there itself (Host, Expect, X-Request-ID, X-Forwarded-For/-Host/-Proto).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/node.h"
#include "policies/policy_config.h"

namespace gatehouse::policies {

struct HeaderRules {
  std::vector<std::string> remove;
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::pair<std::string, std::string>> add;

  bool empty() const { return remove.empty() && set.empty() && add.empty(); }
};

struct HeadersConfig {
  HeaderRules request;
  HeaderRules response;
};

Parsed<HeadersConfig> parse_headers_config(const config::Node& node);

}  // namespace gatehouse::policies
