#include "outbound/request_head.h"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace gatehouse::outbound {

namespace {

// tchar of RFC 9110 5.6.2.
bool is_token_char(char c) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, is_token_char);
}

// field-value of RFC 9110 5.5: visible characters, obs-text, spaces and tabs; no controls.
bool is_field_value(std::string_view text) {
  return std::ranges::none_of(text, [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t') || c == 0x7f;
  });
}

constexpr std::array<std::string_view, 4> owned_fields = {"host", "content-length",
                                                          "transfer-encoding", "connection"};

bool owned_by_fetch(std::string_view name) {
  return std::ranges::any_of(
      owned_fields, [&](std::string_view owned) { return boost::beast::iequals(name, owned); });
}

}  // namespace

std::expected<std::string, std::string> request_head(const Request& request, const Target& target) {
  if (!is_token(request.method)) return std::unexpected("invalid method");
  std::string head =
      request.method + " " + target.path + " HTTP/1.1\r\nHost: " + target.host_header + "\r\n";
  bool has_user_agent = false;
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) return std::unexpected("invalid header field name '" + name + "'");
    if (!is_field_value(value)) return std::unexpected("invalid value of header field " + name);
    if (owned_by_fetch(name)) return std::unexpected("header field " + name + " is set by fetch");
    has_user_agent = has_user_agent || boost::beast::iequals(name, "user-agent");
    head += name + ": " + value + "\r\n";
  }
  if (!has_user_agent) head += "User-Agent: gatehouse/" GATEHOUSE_VERSION "\r\n";
  // POST and PUT carry a length even when empty: some servers answer 411 without one.
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  head += "Connection: close\r\n\r\n";
  return head;
}

}  // namespace gatehouse::outbound
