#include "policies/http_syntax.h"

#include <algorithm>

namespace gatehouse::policies {

namespace {

bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
std::string not_a_token(std::string_view text, std::string_view what) {
  std::string problem = "'";
  problem.append(text).append("' is not ").append(what);
  problem.append(" (letters, digits and !#$%&'*+-.^_`|~)");
  return problem;
}

}  // namespace

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar);
}

std::optional<std::string> check_token(std::string_view text) {
  if (is_token(text)) return std::nullopt;
  return not_a_token(text, "an HTTP token");
}

std::optional<std::string> check_header_name(std::string_view text) {
  if (is_token(text)) return std::nullopt;
  return not_a_token(text, "a valid header name");
}

std::optional<std::string> check_header_value(std::string_view text) {
  if (std::none_of(text.begin(), text.end(), is_control)) return std::nullopt;
  return "header value contains a control character (CR, LF, NUL or other); not allowed";
}

}  // namespace gatehouse::policies
