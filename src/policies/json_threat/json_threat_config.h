// `type: json_threat_protection`: bounds on the shape of a JSON request body, checked before the
// backend sees it (WSO2's JSON threat protector), so that a deeply nested, huge or key-stuffed
// document cannot exhaust a backend's parser.
//
//   - type: json_threat_protection
//     max_depth: 10            # nesting of objects and arrays
//     max_string_length: 1000  # a string value, in bytes
//     max_key_length: 100      # an object key, in bytes
//     max_properties: 50       # keys in one object
//     max_array_elements: 100  # elements in one array
//
// Every key is optional, with the defaults below. Only bodies whose Content-Type is JSON
// (application/json or a +json type) are checked; a body that is not valid JSON is refused too.
#pragma once

#include <cstddef>

#include "config/node.h"
#include "policies/policy_config.h"

namespace gatehouse::policies {

struct JsonThreatConfig {
  size_t max_depth = 32;
  size_t max_string_length = 64 * 1024;
  size_t max_key_length = 256;
  size_t max_properties = 1024;
  size_t max_array_elements = 10 * 1024;
};

Parsed<JsonThreatConfig> parse_json_threat_config(const config::Node& node);

}  // namespace gatehouse::policies
