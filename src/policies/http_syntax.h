// RFC 9110 syntax of header names, for names that policies take from the config. Values need no
// check of their own: every config string is UTF-8 without control characters but tab
// (config/text_rules.h), which is what a field value may hold.
#pragma once

#include <string_view>

namespace gatehouse::policies {

// RFC 9110 section 5.6.2: 1*tchar.
bool is_token(std::string_view text);
constexpr std::string_view kTokenRule = "letters, digits and !#$%&'*+-.^_`|~";

}  // namespace gatehouse::policies
