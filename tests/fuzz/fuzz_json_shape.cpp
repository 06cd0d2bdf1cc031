// libFuzzer target: a JSON request body through the json_threat_protection check. Input:
// [bounds] body...; the first byte picks small bounds (each 1-4) so that every one is reached.
//
// Checked against Boost.JSON's own DOM parser: a body the check passes is one JSON document
// within every bound; a body it refuses as invalid is one the DOM parser refuses too.
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_require.h"
#include "policies/json_threat/json_shape.h"

using namespace gatehouse;

namespace {

using gatehouse::fuzz::require;

// Whether `value` keeps within `limits` at nesting `depth` (the depth of its container).
bool within(const boost::json::value& value, const policies::JsonThreatConfig& limits,
            size_t depth) {
  if (const auto* text = value.if_string()) return text->size() <= limits.max_string_length;
  if (const auto* array = value.if_array()) {
    if (depth + 1 > limits.max_depth || array->size() > limits.max_array_elements) return false;
    for (const auto& element : *array) {
      if (!within(element, limits, depth + 1)) return false;
    }
    return true;
  }
  if (const auto* object = value.if_object()) {
    if (depth + 1 > limits.max_depth || object->size() > limits.max_properties) return false;
    for (const auto& [key, member] : *object) {
      if (key.size() > limits.max_key_length || !within(member, limits, depth + 1)) return false;
    }
    return true;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t bounds = data[0];
  policies::JsonThreatConfig limits;
  limits.max_depth = 1 + (bounds & 3);
  limits.max_string_length = 1 + ((bounds >> 2) & 3);
  limits.max_key_length = 1 + ((bounds >> 4) & 3);
  limits.max_properties = 1 + ((bounds >> 6) & 1) * 3;
  limits.max_array_elements = 1 + ((bounds >> 7) & 1) * 3;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  const std::optional<std::string> violation = policies::json_shape_violation(body, limits);
  boost::json::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;  // deeper than any bound here: the DOM's own limit never decides
  const boost::json::value document = boost::json::parse(body, ec, {}, options);
  if (!violation) {
    require(!ec, "a body the check passed is valid JSON");
    require(within(document, limits, 0), "a body the check passed is within every bound");
  } else if (violation->find("not valid JSON") != std::string::npos ||
             violation->find("more after") != std::string::npos) {
    require(ec.failed(), "a body the check calls invalid is invalid to the DOM parser too");
  }
  return 0;
}
