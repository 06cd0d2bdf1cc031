#include "security/identity/ip_matcher.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <utility>

namespace gatehouse::identity {
namespace {

struct Address {
  uint64_t high = 0, low = 0;
  bool v4 = false;
};

uint64_t load_big_endian(const unsigned char* bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = value << 8 | bytes[i];
  return value;
}

// inet_pton wants a NUL-terminated string; the longest textual IPv6 address is 45 characters.
std::optional<Address> parse_address(std::string_view text) {
  char buffer[64];
  if (text.empty() || text.size() >= sizeof(buffer)) return std::nullopt;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  Address address;
  if (text.find(':') != std::string_view::npos) {
    unsigned char bytes[16];
    if (inet_pton(AF_INET6, buffer, bytes) != 1) return std::nullopt;
    address.high = load_big_endian(bytes);
    address.low = load_big_endian(bytes + 8);
  } else {
    in_addr v4;
    if (inet_pton(AF_INET, buffer, &v4) != 1) return std::nullopt;
    address.low = 0x0000'ffff'0000'0000ULL | ntohl(v4.s_addr);
    address.v4 = true;
  }
  return address;
}

// The top `bits` of a 64-bit half set, `bits` in 0..64.
uint64_t top_bits(int bits) {
  return bits <= 0 ? 0 : bits >= 64 ? ~uint64_t{0} : ~uint64_t{0} << (64 - bits);
}

std::expected<int, std::string> parse_prefix(std::string_view text, int max) {
  int value = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || text.size() > 3 || error != std::errc() || end != text.data() + text.size() ||
      value < 0 || value > max) {
    return std::unexpected("prefix length must be a number from 0 to " + std::to_string(max));
  }
  return value;
}

// "first-last": both addresses of one family, first <= last.
std::optional<std::pair<Address, Address>> parse_range(std::string_view entry) {
  const size_t dash = entry.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_address(entry.substr(0, dash));
  const auto last = parse_address(entry.substr(dash + 1));
  if (!first || !last || first->v4 != last->v4) return std::nullopt;
  if (std::pair(first->high, first->low) > std::pair(last->high, last->low)) return std::nullopt;
  return std::pair(*first, *last);
}

}  // namespace

std::expected<IpMatcher, MatcherError> IpMatcher::parse(const std::vector<std::string>& entries) {
  if (entries.size() > max_entries) {
    return std::unexpected(MatcherError{
        max_entries, "more than " + std::to_string(max_entries) + " IP addresses or ranges"});
  }
  IpMatcher matcher;
  matcher.ranges_.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string_view entry = entries[i];
    const bool cidr = entry.find('/') != std::string_view::npos;
    if (!cidr && entry.find('-') != std::string_view::npos) {
      const auto range = parse_range(entry);
      if (!range) {
        return std::unexpected(MatcherError{
            i,
            "\"" + entries[i] + "\" is not a range of two addresses of one family, lowest first"});
      }
      matcher.ranges_.push_back(
          Range{range->first.high, range->first.low, range->second.high, range->second.low});
      continue;
    }
    size_t slash = entry.find('/');
    auto address = parse_address(entry.substr(0, slash));
    if (!address) {
      return std::unexpected(
          MatcherError{i, "\"" + entries[i] + "\" is not an IPv4 or IPv6 address or CIDR range"});
    }
    int prefix = 128;
    if (slash != std::string_view::npos) {
      auto parsed = parse_prefix(entry.substr(slash + 1), address->v4 ? 32 : 128);
      if (!parsed)
        return std::unexpected(MatcherError{i, "\"" + entries[i] + "\": " + parsed.error()});
      prefix = address->v4 ? 96 + *parsed : *parsed;
    }
    const uint64_t mask_high = top_bits(prefix), mask_low = top_bits(prefix - 64);
    const uint64_t high = address->high & mask_high, low = address->low & mask_low;
    matcher.ranges_.push_back(Range{high, low, high | ~mask_high, low | ~mask_low});
  }
  return matcher;
}

bool IpMatcher::matches(std::string_view client_ip) const {
  auto address = parse_address(client_ip);
  if (!address) return false;
  const std::pair value(address->high, address->low);
  for (const Range& range : ranges_) {
    if (std::pair(range.first_high, range.first_low) <= value &&
        value <= std::pair(range.last_high, range.last_low)) {
      return true;
    }
  }
  return false;
}

}  // namespace gatehouse::identity
