// Where an outbound request goes, taken apart from its absolute http(s) URL.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace gatehouse::outbound {

struct Target {
  bool tls = false;
  std::string host;  // name or address as connected to (IPv6 without brackets)
  uint16_t port = 0;
  std::string host_header;  // Host field value: brackets for IPv6, port only when not default
  std::string path;         // origin-form request target: path and query, "/" at least
};

// Only absolute http and https URLs without user info; a fragment is dropped.
std::expected<Target, std::string> parse_url(std::string_view url);

}  // namespace gatehouse::outbound
