// Parsers for the scalar notations of the config file: durations, byte sizes, listen and server
// addresses, and IP addresses. Each returns the value, or the rule the text broke as a phrase
// that completes "'<key>' ..." (for example "must be a duration like 500ms, 5s or 2m").
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "config/model.h"

namespace gatehouse::config {

// "500ms", "5s", "2m", "1h", "30d", or a plain integer meaning milliseconds. Zero is rejected:
// every duration in the config is a timeout or an interval.
std::expected<Millis, std::string> parse_duration(std::string_view text);

// "512KiB", "1MiB", "1GiB" (powers of 1024), "10KB", "10MB", "1GB" (powers of 1000), "100B",
// or a plain integer meaning bytes.
std::expected<uint64_t, std::string> parse_size(std::string_view text);

// "host:port" or "[ipv6]:port"; the host is kept without brackets. Ports are 0 to 65535; a
// listen address with port 0 gets a free port from the system when it is bound.
std::expected<net::HostPort, std::string> parse_host_port(std::string_view text);

// A server to connect to: as parse_host_port, and the port may be left out ("redis.internal",
// "[::1]"), when it is `default_port`. Ports are 1 to 65535: nothing listens on port 0.
std::expected<net::HostPort, std::string> parse_server_address(std::string_view text,
                                                               uint16_t default_port);

// An IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1") address, as inet_pton reads it, into its 4 or 16
// bytes in network order (as an X.509 iPAddress holds it). No brackets, prefix or zone.
std::expected<std::string, std::string> parse_ip_address(std::string_view text);

}  // namespace gatehouse::config
