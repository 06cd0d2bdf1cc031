// JSON parsing for untrusted JOSE input. Boost.JSON's parse keeps the last of two members with the
// same name; a token whose header or claims name a member twice is ambiguous (two parsers may read
// different values) and is refused here at any depth (RFC 7515 section 4, RFC 7519 section 4).
#pragma once

#include <boost/json/object.hpp>

#include <string_view>

#include "security/jose/error.h"

namespace gatehouse::jose {

inline constexpr size_t max_json_depth = 16;

// bad_json when `text` is not one JSON object (nesting deeper than max_json_depth included),
// duplicate_key when an object in it names a member twice.
Result<boost::json::object> parse_object_strict(std::string_view text);

}  // namespace gatehouse::jose
