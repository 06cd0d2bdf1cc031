// How the router compares hosts: case-insensitively, without the port of a Host header value.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::routing {

// "Example.com:8080" -> "Example.com"; "[::1]:8080" -> "[::1]".
std::string_view strip_port(std::string_view host);

// Writes the lower-case form of `host` to `out` (ASCII; hosts are ASCII after IDNA).
void lower_case_into(std::string_view host, char* out);

inline std::string host_key(std::string_view host) {
  std::string key(strip_port(host));
  lower_case_into(key, key.data());
  return key;
}

}  // namespace gatehouse::routing
