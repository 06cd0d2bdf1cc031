// RFC 9110 syntax of header names and values, for names and values that policies take from the
// config.
#pragma once

#include <string_view>

namespace gatehouse::policies {

// RFC 9110 section 5.6.2: 1*tchar.
bool is_token(std::string_view text);
constexpr std::string_view kTokenRule = "letters, digits and !#$%&'*+-.^_`|~";

// Visible characters, spaces and tabs. CR, LF, NUL and the other control characters would let a
// configured value split or corrupt the message.
bool is_field_value(std::string_view text);

}  // namespace gatehouse::policies
