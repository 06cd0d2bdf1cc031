#include "config/units.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>

namespace gatehouse::config {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t factor;
};

// Splits "<digits><suffix>" and scales the number by the suffix's factor; nullopt when the digits
// are missing, the suffix is not listed, or the product does not fit in 64 bits.
template <size_t N>
std::optional<uint64_t> parse_scaled(std::string_view text, const std::array<Unit, N>& units,
                                     uint64_t no_suffix_factor) {
  uint64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  const std::string_view suffix(end, text.data() + text.size());
  uint64_t factor = no_suffix_factor;
  if (!suffix.empty()) {
    const auto unit = std::ranges::find(units, suffix, &Unit::suffix);
    if (unit == units.end()) return std::nullopt;
    factor = unit->factor;
  }
  if (number > std::numeric_limits<uint64_t>::max() / factor) return std::nullopt;
  return number * factor;
}

bool is_host_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

// "host:port" or "[ipv6]:port"; with a default port, also "host" and "[ipv6]". The port must be
// at least `min_port`.
std::expected<net::HostPort, std::string> parse_address(std::string_view text,
                                                        std::optional<uint16_t> default_port,
                                                        unsigned min_port) {
  const std::string_view shape = default_port ? "must be host, host:port, [ipv6] or [ipv6]:port"
                                              : "must be host:port or [ipv6]:port";
  std::string_view host;
  std::optional<std::string_view> port;  // absent: not written
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return std::unexpected(std::string(shape));
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (rest.starts_with(':')) {
      port = rest.substr(1);
    } else if (!rest.empty() || !default_port) {
      return std::unexpected(std::string(shape));
    }
    in6_addr address{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &address) != 1) {
      return std::unexpected("must have a valid IPv6 address between the brackets");
    }
  } else {
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos && !default_port) {
      return std::unexpected(std::string(shape));
    }
    host = text.substr(0, colon);
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
    if (port && port->find(':') != std::string_view::npos) {
      return std::unexpected("must write an IPv6 address in brackets, like [::1]:8280");
    }
    if (host.empty() || !std::ranges::all_of(host, is_host_name_char)) {
      return std::unexpected(std::string(shape));
    }
  }
  if (!port) return net::HostPort{std::string(host), *default_port};
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), number);
  if (port->empty() || ec != std::errc{} || end != port->data() + port->size() ||
      number < min_port || number > 65535) {
    return std::unexpected("must have a port from " + std::to_string(min_port) + " to 65535");
  }
  return net::HostPort{std::string(host), uint16_t(number)};
}

}  // namespace

std::expected<Millis, std::string> parse_duration(std::string_view text) {
  static constexpr std::array units{Unit{"ms", 1}, Unit{"s", 1'000}, Unit{"m", 60'000},
                                    Unit{"h", 3'600'000}, Unit{"d", 86'400'000}};
  const auto millis = parse_scaled(text, units, 1);
  // A duration must also fit Millis's signed representation.
  if (!millis || *millis > uint64_t(std::numeric_limits<Millis::rep>::max())) {
    return std::unexpected("must be a duration like 500ms, 5s or 2m");
  }
  if (*millis == 0) return std::unexpected("must be greater than 0");
  return Millis(Millis::rep(*millis));
}

std::expected<uint64_t, std::string> parse_size(std::string_view text) {
  static constexpr std::array units{Unit{"B", 1},
                                    Unit{"KB", 1'000},
                                    Unit{"MB", 1'000'000},
                                    Unit{"GB", 1'000'000'000},
                                    Unit{"KiB", 1ull << 10},
                                    Unit{"MiB", 1ull << 20},
                                    Unit{"GiB", 1ull << 30}};
  const auto bytes = parse_scaled(text, units, 1);
  if (!bytes) return std::unexpected("must be a size like 512KiB, 10MB or 1GiB");
  return *bytes;
}

std::expected<net::HostPort, std::string> parse_host_port(std::string_view text) {
  return parse_address(text, std::nullopt, 0);
}

std::expected<net::HostPort, std::string> parse_server_address(std::string_view text,
                                                               uint16_t default_port) {
  return parse_address(text, default_port, 1);
}

std::expected<std::string, std::string> parse_ip_address(std::string_view text) {
  const std::string terminated(text);  // inet_pton reads a C string
  const bool v6 = text.find(':') != std::string_view::npos;
  std::string bytes(v6 ? 16 : 4, '\0');
  if (text.find('\0') != std::string_view::npos ||
      inet_pton(v6 ? AF_INET6 : AF_INET, terminated.c_str(), bytes.data()) != 1) {
    return std::unexpected("must be an IPv4 or IPv6 address, like 192.0.2.1 or 2001:db8::1");
  }
  return bytes;
}

}  // namespace gatehouse::config
