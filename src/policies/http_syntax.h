// RFC 9110 syntax checks for header names and values that policies take from the config, shaped as
// TextCheck so that a bad name or value is reported at its place in the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::policies {

// RFC 9110 section 5.6.2: 1*tchar.
bool is_token(std::string_view text);

std::optional<std::string> check_token(std::string_view text);
std::optional<std::string> check_header_name(std::string_view text);
// A field value may hold visible characters, spaces and tabs; CR, LF, NUL and the other control
// characters would let a config value split or corrupt the message.
std::optional<std::string> check_header_value(std::string_view text);

}  // namespace gatehouse::policies
