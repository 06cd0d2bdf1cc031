// Checks a JSON document against the bounds of a json_threat_protection policy in one streaming
// pass, without building the document.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "policies/json_threat/json_threat_config.h"

namespace gatehouse::policies {

// What is wrong with `body` (a bound exceeded, or not JSON at all), or nullopt if nothing is.
std::optional<std::string> json_shape_violation(std::string_view body,
                                                const JsonThreatConfig& limits);

}  // namespace gatehouse::policies
