// Matches the Referer header against the allowed-referrer patterns of a key, in the way of WSO2
// API Manager's "HTTP referrer" key restriction, with its loose ends tied:
//
// - A pattern is a whole-value match in which `*` stands for any run of characters, including none
//   and including '/', '.' and ':' (WSO2 turns `*` into the regex `[^ ]*`; a Referer has no
//   spaces). Every other character is literal (WSO2 leaves `.` a regex wildcard; here it is a dot).
// - A pattern that names a scheme ("https://www.example.com/app/*", or "*://example.com/*": a
//   "://" before any '/') is matched against the whole Referer. Any other pattern is matched
//   against the Referer with its "scheme://" removed, so `www.example.com/*` matches
//   "https://www.example.com/page" and "http://www.example.com/", and `*.example.com/*` matches
//   "https://www.example.com/page" but not "https://example.com/page".
// - The scheme and host (up to the first '/', '?' or '#') compare case-insensitively, the rest as
//   written. A port is part of the host: `www.example.com/*` does not match
//   "https://www.example.com:8443/", `www.example.com*` and `www.example.com:*/*` do.
// - An absent or empty Referer, or one longer than max_referer_size, matches nothing.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "security/identity/matcher_error.h"

namespace gatehouse::identity {

class ReferrerMatcher {
 public:
  // Entries: 1 to max_pattern_size visible ASCII characters (no spaces or control characters).
  static std::expected<ReferrerMatcher, MatcherError> parse(
      const std::vector<std::string>& entries);

  bool matches(std::string_view referer) const;
  bool empty() const { return patterns_.empty(); }

  static constexpr size_t max_entries = 256;
  static constexpr size_t max_pattern_size = 512;
  static constexpr size_t max_referer_size = 4096;

 private:
  struct Pattern {
    std::string text;  // scheme and host lowercased
    bool has_scheme;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace gatehouse::identity
