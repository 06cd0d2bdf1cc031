// Matches a client's address against a list of IPv4 and IPv6 addresses and CIDR ranges, parsed
// once. Both families live in one 128-bit space in which IPv4 a.b.c.d is the IPv4-mapped address
// ::ffff:a.b.c.d (RFC 4291 2.5.5.2). So an IPv4 entry matches a client given as "10.1.2.3" or as
// "::ffff:10.1.2.3" (dual-stack sockets report the latter), "::ffff:10.0.0.0/104" is the same
// range as "10.0.0.0/8", and "::/0" matches every client, IPv4 ones included ("0.0.0.0/0" matches
// the IPv4 clients only).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "security/identity/matcher_error.h"

namespace gatehouse::identity {

class IpMatcher {
 public:
  // Entries: an address ("192.0.2.1", "2001:db8::1"), "address/prefix" with a decimal prefix
  // length of 0-32 for IPv4 and 0-128 for IPv6, or a range "first-last" ("192.0.2.10-192.0.2.20",
  // both of one family, the lowest first). Host bits below the prefix are ignored
  // ("192.0.2.77/24" is 192.0.2.0/24), as nginx's allow does. No spaces, no zone ids ("%eth0"),
  // no brackets. At most max_entries entries.
  static std::expected<IpMatcher, MatcherError> parse(const std::vector<std::string>& entries);

  // `client_ip` is an address in the same notation, without prefix; anything else matches nothing.
  bool matches(std::string_view client_ip) const;
  bool empty() const { return ranges_.empty(); }

  static constexpr size_t max_entries = 1024;

 private:
  // The addresses from first to last, both included, as 128-bit numbers in two halves (IPv4 as
  // IPv4-mapped IPv6, ::ffff:a.b.c.d).
  struct Range {
    uint64_t first_high, first_low;
    uint64_t last_high, last_low;
  };
  std::vector<Range> ranges_;
};

}  // namespace gatehouse::identity
