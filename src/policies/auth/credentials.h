// Where the schemes find their credentials in a request: after an `Authorization` scheme name
// (RFC 9110 11.4), Basic's `user:password` in base64 (RFC 7617), an API key in a query
// parameter. Views into the request head; nothing is verified here.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::policies::auth {

struct BasicCredentials {
  std::string user;
  std::string password;
};

// `user:password` from Basic's base64; why it is malformed otherwise.
std::expected<BasicCredentials, std::string_view> decode_basic(std::string_view encoded);

// The value of `name` in a query string, as sent (API keys are base64url: no decoding needed).
std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name);

}  // namespace gatehouse::policies::auth
